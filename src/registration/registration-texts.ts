import type { Lang } from '../companies/company-profile.schema';

/** The interview's questions, one per step, in the order they are asked. */
export const STEPS = [
  'country',
  'name',
  'offers',
  'seeks',
  'partnership',
  'region',
  'size',
  'website',
  'contact',
] as const;
export type InterviewStep = (typeof STEPS)[number];
/** Steps a firm may skip: the rest are what a partner needs to find it at all. */
export const OPTIONAL_STEPS: ReadonlySet<InterviewStep> = new Set([
  'seeks',
  'partnership',
  'region',
  'size',
  'website',
  'contact',
]);

/**
 * What the registration interview says, in Japanese (です/ます), Thai (polite, gender-neutral) and English, side
 * by side for reviewers. Labels stay within LINE's 20-character quick-reply limit.
 */
export interface RegistrationTexts {
  start: string;
  resume: string;
  questions: Record<InterviewStep, string>;
  /** Said under a question the firm may skip. */
  optional: string;
  invalid: {
    country: string;
    name: string;
    size: string;
    website: string;
    contact: string;
    tooLong: (max: number) => string;
  };
  required: string;
  partnershipChosen: (types: string) => string;
  review: string;
  contactPrivate: (contact: string) => string;
  editWhich: string;
  paused: string;
  cancelled: string;
  submitted: string;
  withStaff: string;
  alreadyLinked: (company: string) => string;
  rateLimited: string;
  approved: (company: string) => string;
  staffQuestion: (question: string) => string;
  answerReceived: string;
  rejected: (reason: string) => string;
  myCompany: (company: string) => string;
  profilePaused: string;
  resumed: string;
  unlinked: (company: string) => string;
  inviteCreated: (company: string, code: string, days: number) => string;
  inviteLinked: (company: string) => string;
  inviteInvalid: string;
  changeStart: string;
  changeSubmitted: string;
  changeApplied: string;
  changeApproved: (company: string) => string;
  notRegistered: string;
  fields: Record<InterviewStep, string>;
  labels: {
    register: string;
    back: string;
    skip: string;
    later: string;
    cancel: string;
    done: string;
    submit: string;
    edit: string;
    pause: string;
    resume: string;
    unlink: string;
    invite: string;
    editProfile: string;
    japan: string;
    thailand: string;
  };
  sizes: Array<[number, string]>;
}

const ja: RegistrationTexts = {
  start:
    '御社の登録を始めます。質問は一つずつです。いつでも「戻る」「スキップ」「キャンセル」、続きを後にするときは「あとで」と入力してください。',
  resume: '登録の続きから始めます。',
  questions: {
    country: '御社の所在地は日本とタイのどちらですか？',
    name: '会社名を教えてください。',
    offers: '御社は何を製造・提供していますか？自由にお書きください（例：自動車用ブレーキ部品の製造）。',
    seeks: 'どのような相手先をお探しですか？（例：タイの販売代理店、樹脂材料の仕入先）',
    partnership: '希望する提携の形を選んでください（複数可）。選び終えたら「完了」を押してください。',
    region: '所在地の都道府県・県（タイは県名）を教えてください。',
    size: '従業員数はおよそ何人ですか？',
    website: 'ウェブサイトのURLを教えてください。',
    contact:
      '紹介の際のご連絡先（メールアドレスまたは電話番号、ご担当者名）を教えてください。双方が合意したときだけ相手先にお伝えし、それ以外には公開しません。',
  },
  optional: '（任意：「スキップ」で次へ）',
  invalid: {
    country: '「日本」か「タイ」でお答えください。',
    name: '会社名をお書きください。',
    size: '人数を数字でお答えください（例：120）。',
    website: 'URLとして読めませんでした（例：https://example.co.jp）。',
    contact: 'メールアドレスか電話番号が見つかりませんでした。',
    tooLong: (max) => `${max}文字以内でお願いします。`,
  },
  required: 'この項目は必須です。',
  partnershipChosen: (t) => `選択中：${t}`,
  review:
    '他社からはこのように表示されます。内容がよろしければ「送信」を押してください。担当者が確認してから公開します。',
  contactPrivate: (c) => `連絡先（非公開）：${c}`,
  editWhich: 'どの項目を直しますか？',
  paused: '下書きを保存しました。続けるときは「登録」と入力してください。',
  cancelled: '登録を取り消しました。下書きは削除しました。',
  submitted: 'ありがとうございます。担当者が内容を確認し、通常2営業日以内にこちらでご連絡します。',
  withStaff: '御社の登録は担当者が確認中です。結果はこちらでお知らせします。',
  alreadyLinked: (c) => `このアカウントはすでに「${c}」に紐づいています。`,
  rateLimited: '本日の登録申請の上限に達しました。明日以降にもう一度お試しください。',
  approved: (c) =>
    `「${c}」の登録が承認され、公開されました。相手国の企業の検索結果に表示され、紹介の依頼はこちらに届きます。`,
  staffQuestion: (q) => `担当者から登録内容について質問があります：\n\n${q}\n\nこちらにご返信ください。`,
  answerReceived: 'ご回答ありがとうございます。担当者に伝えました。',
  rejected: (r) => `申し訳ありませんが、今回の登録は公開できませんでした。理由：${r}`,
  myCompany: (c) => `このアカウントは「${c}」に紐づいています。`,
  profilePaused:
    '御社のプロフィールを非公開にしました。検索結果に表示されません。「公開を再開」でいつでも戻せます。',
  resumed: '御社のプロフィールを再び公開しました。',
  unlinked: (c) => `このアカウントと「${c}」の紐づけを解除しました。紹介の依頼はこちらに届かなくなります。`,
  inviteCreated: (c, code, d) =>
    `同僚の方を「${c}」に紐づける招待コードです（${d}日間有効・1回限り）：\n\n${code}\n\nこのコードをKakehashiのLINEまたはチャットに送ってもらってください。`,
  inviteLinked: (c) => `このアカウントを「${c}」に紐づけました。紹介の依頼はこちらにも届きます。`,
  inviteInvalid: 'この招待コードは使えません（期限切れ、使用済み、または誤り）。',
  changeStart: '現在の掲載内容です。「修正する」で項目を選んで直し、終わったら「送信」を押してください。',
  changeSubmitted: '修正内容を担当者に送りました。確認後に反映し、こちらでお知らせします。',
  changeApplied: '修正を反映しました。',
  changeApproved: (c) => `「${c}」の修正が承認され、反映されました。`,
  notRegistered: 'このアカウントはまだ企業に紐づいていません。「登録」と入力すると御社を登録できます。',
  fields: {
    country: '所在国',
    name: '会社名',
    offers: '事業内容',
    seeks: '探している相手',
    partnership: '提携の形',
    region: '所在地',
    size: '従業員数',
    website: 'ウェブサイト',
    contact: '連絡先',
  },
  labels: {
    register: '自社を登録',
    back: '戻る',
    skip: 'スキップ',
    later: 'あとで',
    cancel: 'キャンセル',
    done: '完了',
    submit: '送信',
    edit: '修正する',
    pause: '非公開にする',
    resume: '公開を再開',
    unlink: '紐づけを解除',
    invite: '同僚を招待',
    editProfile: '掲載内容を修正',
    japan: '日本',
    thailand: 'タイ',
  },
  sizes: [
    [10, '〜10人'],
    [50, '〜50人'],
    [100, '〜100人'],
    [300, '〜300人'],
    [1000, '1000人以上'],
  ],
};

const th: RegistrationTexts = {
  start:
    'เริ่มลงทะเบียนบริษัทของท่าน จะถามทีละข้อ พิมพ์ "ย้อนกลับ" "ข้าม" หรือ "ยกเลิก" ได้ทุกเมื่อ หรือพิมพ์ "ไว้ทีหลัง" เพื่อทำต่อภายหลัง',
  resume: 'ทำการลงทะเบียนต่อจากที่ค้างไว้',
  questions: {
    country: 'บริษัทของท่านตั้งอยู่ที่ญี่ปุ่นหรือไทย',
    name: 'กรุณาบอกชื่อบริษัท',
    offers: 'บริษัทของท่านผลิตหรือให้บริการอะไร เขียนได้อย่างอิสระ (เช่น ผลิตชิ้นส่วนเบรกรถยนต์)',
    seeks: 'กำลังมองหาพันธมิตรแบบใด (เช่น ตัวแทนจำหน่ายในญี่ปุ่น ผู้จัดหาวัตถุดิบพลาสติก)',
    partnership: 'เลือกรูปแบบความร่วมมือที่ต้องการ (เลือกได้หลายข้อ) แล้วกด "เสร็จ"',
    region: 'บริษัทตั้งอยู่จังหวัดใด (ญี่ปุ่น: จังหวัด/เขต)',
    size: 'มีพนักงานประมาณกี่คน',
    website: 'กรุณาบอก URL เว็บไซต์',
    contact:
      'กรุณาให้ช่องทางติดต่อสำหรับการแนะนำ (อีเมลหรือเบอร์โทร และชื่อผู้ติดต่อ) จะส่งให้คู่ค้าเมื่อทั้งสองฝ่ายตกลงกันเท่านั้น และไม่เปิดเผยต่อผู้อื่น',
  },
  optional: '(ไม่บังคับ: พิมพ์ "ข้าม" เพื่อไปต่อ)',
  invalid: {
    country: 'กรุณาตอบว่า "ญี่ปุ่น" หรือ "ไทย"',
    name: 'กรุณาพิมพ์ชื่อบริษัท',
    size: 'กรุณาตอบจำนวนเป็นตัวเลข (เช่น 120)',
    website: 'อ่าน URL ไม่ได้ (เช่น https://example.co.th)',
    contact: 'ไม่พบอีเมลหรือเบอร์โทรศัพท์',
    tooLong: (max) => `กรุณาเขียนไม่เกิน ${max} ตัวอักษร`,
  },
  required: 'ข้อนี้จำเป็นต้องตอบ',
  partnershipChosen: (t) => `เลือกแล้ว: ${t}`,
  review: 'บริษัทอื่นจะเห็นข้อมูลของท่านแบบนี้ หากถูกต้องกรุณากด "ส่ง" เจ้าหน้าที่จะตรวจสอบก่อนเผยแพร่',
  contactPrivate: (c) => `ช่องทางติดต่อ (ไม่เปิดเผย): ${c}`,
  editWhich: 'ต้องการแก้ไขข้อใด',
  paused: 'บันทึกร่างไว้แล้ว เมื่อต้องการทำต่อ พิมพ์ "ลงทะเบียน"',
  cancelled: 'ยกเลิกการลงทะเบียนและลบร่างแล้ว',
  submitted: 'ขอบคุณ เจ้าหน้าที่จะตรวจสอบข้อมูลและแจ้งผลที่นี่ โดยปกติภายใน 2 วันทำการ',
  withStaff: 'การลงทะเบียนของท่านอยู่ระหว่างการตรวจสอบของเจ้าหน้าที่ จะแจ้งผลที่นี่',
  alreadyLinked: (c) => `บัญชีนี้เชื่อมกับ "${c}" แล้ว`,
  rateLimited: 'วันนี้ส่งคำขอลงทะเบียนครบจำนวนแล้ว กรุณาลองใหม่พรุ่งนี้',
  approved: (c) => `การลงทะเบียน "${c}" ได้รับอนุมัติและเผยแพร่แล้ว บริษัทจากอีกประเทศจะค้นพบท่านได้ และคำขอแนะนำจะส่งมาที่นี่`,
  staffQuestion: (q) => `เจ้าหน้าที่มีคำถามเกี่ยวกับการลงทะเบียนของท่าน:\n\n${q}\n\nกรุณาตอบกลับที่นี่`,
  answerReceived: 'ขอบคุณสำหรับคำตอบ ส่งต่อให้เจ้าหน้าที่แล้ว',
  rejected: (r) => `ขออภัย ไม่สามารถเผยแพร่การลงทะเบียนนี้ได้ เหตุผล: ${r}`,
  myCompany: (c) => `บัญชีนี้เชื่อมกับ "${c}"`,
  profilePaused: 'ซ่อนโปรไฟล์บริษัทแล้ว จะไม่แสดงในผลการค้นหา กด "เปิดเผยอีกครั้ง" ได้ทุกเมื่อ',
  resumed: 'เปิดเผยโปรไฟล์บริษัทอีกครั้งแล้ว',
  unlinked: (c) => `ยกเลิกการเชื่อมบัญชีนี้กับ "${c}" แล้ว คำขอแนะนำจะไม่ส่งมาที่นี่อีก`,
  inviteCreated: (c, code, d) =>
    `รหัสเชิญเพื่อนร่วมงานให้เชื่อมกับ "${c}" (ใช้ได้ ${d} วัน ครั้งเดียว):\n\n${code}\n\nให้เพื่อนร่วมงานส่งรหัสนี้มาที่ LINE หรือแชตของ Kakehashi`,
  inviteLinked: (c) => `เชื่อมบัญชีนี้กับ "${c}" แล้ว คำขอแนะนำจะส่งมาที่นี่ด้วย`,
  inviteInvalid: 'ใช้รหัสเชิญนี้ไม่ได้ (หมดอายุ ใช้แล้ว หรือไม่ถูกต้อง)',
  changeStart: 'นี่คือข้อมูลที่เผยแพร่อยู่ กด "แก้ไข" เพื่อเลือกข้อที่จะแก้ แล้วกด "ส่ง" เมื่อเสร็จ',
  changeSubmitted: 'ส่งการแก้ไขให้เจ้าหน้าที่แล้ว จะปรับใช้หลังตรวจสอบและแจ้งที่นี่',
  changeApplied: 'ปรับใช้การแก้ไขแล้ว',
  changeApproved: (c) => `การแก้ไข "${c}" ได้รับอนุมัติและปรับใช้แล้ว`,
  notRegistered: 'บัญชีนี้ยังไม่ได้เชื่อมกับบริษัทใด พิมพ์ "ลงทะเบียน" เพื่อลงทะเบียนบริษัทของท่าน',
  fields: {
    country: 'ประเทศ',
    name: 'ชื่อบริษัท',
    offers: 'สินค้า/บริการ',
    seeks: 'สิ่งที่มองหา',
    partnership: 'รูปแบบความร่วมมือ',
    region: 'ที่ตั้ง',
    size: 'จำนวนพนักงาน',
    website: 'เว็บไซต์',
    contact: 'ช่องทางติดต่อ',
  },
  labels: {
    register: 'ลงทะเบียนบริษัท',
    back: 'ย้อนกลับ',
    skip: 'ข้าม',
    later: 'ไว้ทีหลัง',
    cancel: 'ยกเลิก',
    done: 'เสร็จ',
    submit: 'ส่ง',
    edit: 'แก้ไข',
    pause: 'ซ่อนโปรไฟล์',
    resume: 'เปิดเผยอีกครั้ง',
    unlink: 'ยกเลิกการเชื่อม',
    invite: 'เชิญเพื่อนร่วมงาน',
    editProfile: 'แก้ไขข้อมูลบริษัท',
    japan: 'ญี่ปุ่น',
    thailand: 'ไทย',
  },
  sizes: [
    [10, 'ไม่เกิน 10 คน'],
    [50, 'ไม่เกิน 50 คน'],
    [100, 'ไม่เกิน 100 คน'],
    [300, 'ไม่เกิน 300 คน'],
    [1000, '1,000 คนขึ้นไป'],
  ],
};

const en: RegistrationTexts = {
  start:
    'Let’s register your company. I’ll ask one question at a time. Say “back”, “skip” or “cancel” at any point, or “later” to finish another time.',
  resume: 'Let’s pick up your registration where you left it.',
  questions: {
    country: 'Is your company based in Japan or in Thailand?',
    name: 'What is your company’s name?',
    offers: 'What does your company make or offer? Free text is fine (e.g. brake parts for cars).',
    seeks: 'What kind of partner are you looking for? (e.g. a distributor in Japan, a supplier of resin)',
    partnership: 'Which kinds of partnership do you want? Choose any that apply, then press “Done”.',
    region: 'Which province or prefecture is your company in?',
    size: 'About how many employees do you have?',
    website: 'What is your website’s address?',
    contact:
      'Who should partners contact after an introduction (e-mail or phone, and a name)? It is passed on only when both sides agree, and never shown otherwise.',
  },
  optional: '(optional: say “skip” to go on)',
  invalid: {
    country: 'Please answer “Japan” or “Thailand”.',
    name: 'Please type the company’s name.',
    size: 'Please give a number (e.g. 120).',
    website: 'That does not read as a web address (e.g. https://example.com).',
    contact: 'I found no e-mail address or phone number in that.',
    tooLong: (max) => `Please keep it within ${max} characters.`,
  },
  required: 'This one is needed.',
  partnershipChosen: (t) => `Chosen: ${t}`,
  review:
    'This is how other firms will see your company. If it is right, press “Submit”: our staff check it before it is published.',
  contactPrivate: (c) => `Contact (private): ${c}`,
  editWhich: 'Which part would you like to change?',
  paused: 'Your draft is saved. Say “register” when you want to continue.',
  cancelled: 'Registration cancelled; your draft was deleted.',
  submitted:
    'Thank you. Our staff will review your company and reply here, usually within two business days.',
  withStaff: 'Your registration is with our staff for review. We will reply here.',
  alreadyLinked: (c) => `This account is already linked to “${c}”.`,
  rateLimited: 'The limit of registrations for today has been reached. Please try again tomorrow.',
  approved: (c) =>
    `“${c}” is approved and published. Firms on the other side can now find you, and introduction requests will come here.`,
  staffQuestion: (q) => `Our staff have a question about your registration:\n\n${q}\n\nPlease reply here.`,
  answerReceived: 'Thank you, your answer has been passed to our staff.',
  rejected: (r) => `Sorry, we could not publish this registration. Reason: ${r}`,
  myCompany: (c) => `This account is linked to “${c}”.`,
  profilePaused:
    'Your company’s profile is hidden: it no longer appears in searches. “Publish again” brings it back.',
  resumed: 'Your company’s profile is published again.',
  unlinked: (c) => `This account is no longer linked to “${c}”; introduction requests will not come here.`,
  inviteCreated: (c, code, d) =>
    `An invitation code that links a colleague to “${c}” (valid ${d} days, once):\n\n${code}\n\nAsk them to send it to Kakehashi on LINE or in the chat.`,
  inviteLinked: (c) => `This account is now linked to “${c}”; introduction requests will come here too.`,
  inviteInvalid: 'This invitation code cannot be used (expired, used, or mistyped).',
  changeStart: 'This is your published profile. Press “Edit” to choose what to change, then “Submit”.',
  changeSubmitted:
    'Your changes were sent to our staff; they will be applied after review and we will tell you here.',
  changeApplied: 'Your changes are published.',
  changeApproved: (c) => `The changes to “${c}” are approved and published.`,
  notRegistered: 'This account is not linked to a company yet. Say “register” to register yours.',
  fields: {
    country: 'Country',
    name: 'Name',
    offers: 'What you offer',
    seeks: 'What you seek',
    partnership: 'Partnership',
    region: 'Location',
    size: 'Employees',
    website: 'Website',
    contact: 'Contact',
  },
  labels: {
    register: 'Register my company',
    back: 'Back',
    skip: 'Skip',
    later: 'Later',
    cancel: 'Cancel',
    done: 'Done',
    submit: 'Submit',
    edit: 'Edit',
    pause: 'Hide profile',
    resume: 'Publish again',
    unlink: 'Unlink',
    invite: 'Invite a colleague',
    editProfile: 'Edit profile',
    japan: 'Japan',
    thailand: 'Thailand',
  },
  sizes: [
    [10, 'Up to 10'],
    [50, 'Up to 50'],
    [100, 'Up to 100'],
    [300, 'Up to 300'],
    [1000, '1,000 or more'],
  ],
};

const TEXTS: Record<Lang, RegistrationTexts> = { ja, th, en };

export function registrationTexts(lang: Lang): RegistrationTexts {
  return TEXTS[lang];
}
