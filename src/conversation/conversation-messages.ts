import type { Country, Lang, PartnershipType } from '../companies/company-profile.schema';

/**
 * Every sentence the bot says on its own (without a model), in Japanese (です/ます), Thai (polite register in
 * neutral forms: no ครับ/ค่ะ, so the bot reads the same to every user) and English. Kept in one file so that
 * translators and reviewers see them side by side.
 */

export interface Messages {
  langName: string;
  greeting: string;
  greetingShort: string;
  groupIntro: string;
  chooseLanguage: string;
  languageSet: string;
  help: string;
  askSubject: string;
  askSubjectWithFilters: (filters: string) => string;
  searching: (what: string) => string;
  resultsIntro: (count: number, target: Country | undefined) => string;
  moreIntro: (count: number) => string;
  noResults: string;
  noMoreResults: string;
  noSearchYet: string;
  refineHint: string;
  refined: (what: string) => string;
  detailsNotFound: string;
  whichCompany: string;
  introRecorded: (name: string) => string;
  introAlready: (name: string) => string;
  handoff: string;
  handoffAlready: string;
  forgetConfirm: string;
  forgetDone: string;
  forgetCancelled: string;
  translateAsk: string;
  translateUnavailable: string;
  translateFailed: string;
  translated: (to: string) => string;
  sameLanguage: string;
  unsupportedMedia: string;
  notUnderstood: string;
  tooLong: (max: number) => string;
  generatedNote: string;
  labels: {
    details: string;
    introduce: string;
    more: string;
    help: string;
    human: string;
    newSearch: string;
    /** Starts a firm's own registration (the registration feature's interview). */
    register: string;
    /** Saves the search for alerts about firms that join later (the alerts feature). */
    alert: string;
    translate: string;
    language: string;
    yesDelete: string;
    no: string;
    website: string;
    anyType: string;
  };
  details: {
    country: Record<Country, string>;
    industry: string;
    location: string;
    offers: string;
    seeks: string;
    partnership: string;
    employees: string;
    founded: string;
    certifications: string;
  };
  partnership: Record<PartnershipType, string>;
  /** Example subjects offered as quick replies when the user has not said what they look for. */
  subjectExamples: string[];
  listSep: string;
}

export const LANG_NAMES: Record<Lang, Record<Lang, string>> = {
  ja: { ja: '日本語', th: 'タイ語', en: '英語' },
  th: { ja: 'ภาษาญี่ปุ่น', th: 'ภาษาไทย', en: 'ภาษาอังกฤษ' },
  en: { ja: 'Japanese', th: 'Thai', en: 'English' },
};

const ja: Messages = {
  langName: '日本語',
  greeting:
    'こんにちは。Kakehashi（架け橋）です。日本とタイの企業の出会いをお手伝いします。お探しのパートナーを日本語でお書きください。例：「タイで自動車部品のOEMメーカーを探しています」',
  greetingShort: 'こんにちは。Kakehashi です。どのようなパートナーをお探しですか。',
  groupIntro:
    'Kakehashi です。日本とタイの企業のパートナー探しをお手伝いします。このグループでは、メンションされたときにお答えします。',
  chooseLanguage: '使用する言語をお選びください。',
  languageSet: 'これから日本語でご案内します。',
  help: 'できること：\n・パートナー探し（例：「タイの食品OEMメーカーを探しています」）\n・絞り込み（「OEMのみ」「バンコク周辺」）、「もっと」で続きを表示\n・会社の詳細表示と紹介のご依頼\n・翻訳（「翻訳: 本文」）\n・自社の登録（「会社を登録したい」）\n・言語の切り替え、担当者への相談、「データを削除」で会話データの消去',
  askSubject:
    'どのような業種・製品のパートナーをお探しですか。提供できるもの、または求めているものを教えてください。',
  askSubjectWithFilters: (f) => `${f}の条件で探します。どのような業種・製品のパートナーをお探しですか。`,
  searching: (what) => `「${what}」で探しています。`,
  resultsIntro: (n, target) =>
    `${target === 'TH' ? 'タイの' : target === 'JP' ? '日本の' : ''}候補企業を${n}社見つけました。`,
  moreIntro: (n) => `ほかに${n}社見つかりました。`,
  noResults:
    '条件に合う企業は見つかりませんでした。言葉を変えるか、条件を減らしてお試しください。担当者にご相談いただくこともできます。',
  noMoreResults: 'これ以上の候補はありません。条件を変えて探すこともできます。',
  noSearchYet: 'まだ検索していません。お探しのパートナーを教えてください。',
  refineHint: '提携の形態で絞り込むこともできます。',
  refined: (what) => `${what}で絞り込みました。`,
  detailsNotFound: 'その会社が見つかりませんでした。一覧の番号か会社名でお知らせください。',
  whichCompany: 'どの会社についてですか。お選びください。',
  introRecorded: (name) =>
    `${name}へのご紹介のご依頼を承りました。担当者が内容を確認し、追ってご連絡します。先方の連絡先は、双方が合意した場合にのみお知らせします。`,
  introAlready: (name) => `${name}へのご紹介は既に承っています。担当者からのご連絡をお待ちください。`,
  handoff:
    '担当者におつなぎします。このまま会話を続けてお待ちください。営業時間外の場合は、翌営業日にご連絡します。',
  handoffAlready: '担当者への連絡は済んでいます。もうしばらくお待ちください。',
  forgetConfirm:
    'この会話の履歴、言語設定、検索条件、紹介のご依頼をすべて削除します。元に戻すことはできません。削除してよろしいですか。',
  forgetDone: '会話データを削除しました。ご利用ありがとうございました。',
  forgetCancelled: '削除を取り消しました。データはそのまま残っています。',
  translateAsk: '翻訳する文章を送ってください。',
  translateUnavailable:
    '申し訳ありません。現在、翻訳機能はご利用いただけません。パートナー探しや会社の詳細表示はご利用いただけます。',
  translateFailed: '申し訳ありません。翻訳できませんでした。しばらくしてから、もう一度お試しください。',
  translated: (to) => `${to}訳：`,
  sameLanguage: '翻訳先の言語を「タイ語に翻訳: 本文」のようにご指定ください。',
  unsupportedMedia:
    '申し訳ありません。画像やスタンプ、ファイルには対応していません。ご用件を文章でお送りください。',
  notUnderstood:
    '申し訳ありません。ご用件がわかりませんでした。お探しのパートナーを文章でお書きいただくか、下のメニューからお選びください。',
  tooLong: (max) => `メッセージが長すぎます。${max}文字以内でお送りください。`,
  generatedNote: '',
  labels: {
    details: '詳細',
    introduce: '紹介を依頼',
    more: 'もっと見る',
    help: 'ヘルプ',
    human: '担当者と話す',
    newSearch: '新しく探す',
    register: '自社を登録',
    alert: '新着を通知',
    translate: '翻訳',
    language: 'Language / ภาษา',
    yesDelete: '削除する',
    no: 'やめる',
    website: 'ウェブサイト',
    anyType: '形態を問わない',
  },
  details: {
    country: { JP: '日本', TH: 'タイ' },
    industry: '業種',
    location: '所在地',
    offers: '提供できるもの',
    seeks: '求めているもの',
    partnership: '希望する提携',
    employees: '従業員数',
    founded: '設立',
    certifications: '認証',
  },
  partnership: {
    supplier: '仕入先',
    buyer: 'バイヤー',
    distributor: '販売代理店',
    agent: 'エージェント',
    oem: 'OEM',
    joint_venture: '合弁',
    investment: '出資',
    licensing: 'ライセンス',
    outsourcing: '業務委託',
    technology_transfer: '技術移転',
    other: 'その他',
  },
  subjectExamples: ['自動車部品', '食品・飲料', '機械', 'IT・ソフトウェア', '物流', '化粧品'],
  listSep: '、',
};

const th: Messages = {
  langName: 'ภาษาไทย',
  greeting:
    'สวัสดี ยินดีต้อนรับสู่ Kakehashi (คาเคะฮาชิ) บริการช่วยเชื่อมธุรกิจไทยกับญี่ปุ่น กรุณาพิมพ์บอกว่ากำลังมองหาพันธมิตรแบบใด เช่น "หาผู้ผลิตชิ้นส่วนยานยนต์ญี่ปุ่นที่ต้องการผู้รับจ้างผลิต OEM ในไทย"',
  greetingShort: 'สวัสดี Kakehashi ยินดีให้บริการ กำลังมองหาพันธมิตรแบบใด',
  groupIntro: 'Kakehashi ยินดีช่วยหาพันธมิตรทางธุรกิจระหว่างไทยกับญี่ปุ่น ในกลุ่มนี้จะตอบเมื่อมีการกล่าวถึง (mention) เท่านั้น',
  chooseLanguage: 'กรุณาเลือกภาษาที่ต้องการใช้',
  languageSet: 'จากนี้จะให้บริการเป็นภาษาไทย',
  help: 'สิ่งที่ทำได้:\n• หาพันธมิตร (เช่น "หาผู้ผลิตเครื่องจักรญี่ปุ่น")\n• กรองผลลัพธ์ ("เฉพาะ OEM" "แถวกรุงเทพ") และพิมพ์ "เพิ่มเติม" เพื่อดูรายการถัดไป\n• ดูรายละเอียดบริษัทและขอให้แนะนำให้รู้จัก\n• แปลข้อความ ("แปล: ข้อความ")\n• ลงทะเบียนบริษัทของท่าน ("ลงทะเบียนบริษัท")\n• เปลี่ยนภาษา ติดต่อเจ้าหน้าที่ และพิมพ์ "ลบข้อมูลของฉัน" เพื่อลบข้อมูลการสนทนา',
  askSubject: 'กำลังมองหาพันธมิตรในอุตสาหกรรมหรือสินค้าประเภทใด กรุณาบอกสิ่งที่บริษัทของท่านนำเสนอหรือสิ่งที่กำลังมองหา',
  askSubjectWithFilters: (f) => `จะค้นหาตามเงื่อนไข ${f} กำลังมองหาพันธมิตรในอุตสาหกรรมหรือสินค้าประเภทใด`,
  searching: (what) => `กำลังค้นหา "${what}"`,
  resultsIntro: (n, target) =>
    `พบบริษัท${target === 'JP' ? 'ญี่ปุ่น' : target === 'TH' ? 'ไทย' : ''}ที่น่าสนใจ ${n} แห่ง`,
  moreIntro: (n) => `พบเพิ่มอีก ${n} แห่ง`,
  noResults: 'ไม่พบบริษัทที่ตรงกับเงื่อนไข กรุณาลองใช้คำอื่นหรือลดเงื่อนไขลง หรือปรึกษาเจ้าหน้าที่ได้',
  noMoreResults: 'ไม่มีรายการเพิ่มเติมแล้ว สามารถเปลี่ยนเงื่อนไขเพื่อค้นหาใหม่ได้',
  noSearchYet: 'ยังไม่ได้ค้นหา กรุณาบอกว่ากำลังมองหาพันธมิตรแบบใด',
  refineHint: 'สามารถกรองตามรูปแบบความร่วมมือได้',
  refined: (what) => `กรองตาม ${what} แล้ว`,
  detailsNotFound: 'ไม่พบบริษัทดังกล่าว กรุณาระบุหมายเลขในรายการหรือชื่อบริษัท',
  whichCompany: 'กรุณาเลือกบริษัทที่ต้องการ',
  introRecorded: (name) =>
    `รับคำขอให้แนะนำ ${name} เรียบร้อยแล้ว เจ้าหน้าที่จะตรวจสอบและติดต่อกลับโดยเร็ว ข้อมูลติดต่อของอีกฝ่ายจะเปิดเผยเมื่อทั้งสองฝ่ายยินยอมเท่านั้น`,
  introAlready: (name) => `ได้รับคำขอให้แนะนำ ${name} ไว้แล้ว กรุณารอการติดต่อจากเจ้าหน้าที่`,
  handoff: 'กำลังส่งเรื่องให้เจ้าหน้าที่ กรุณารอสักครู่ในแชตนี้ หากอยู่นอกเวลาทำการ เจ้าหน้าที่จะติดต่อกลับในวันทำการถัดไป',
  handoffAlready: 'แจ้งเจ้าหน้าที่แล้ว กรุณารอสักครู่',
  forgetConfirm:
    'ระบบจะลบประวัติการสนทนา การตั้งค่าภาษา เงื่อนไขการค้นหา และคำขอแนะนำทั้งหมด และไม่สามารถกู้คืนได้ ยืนยันการลบหรือไม่',
  forgetDone: 'ลบข้อมูลการสนทนาเรียบร้อยแล้ว ขอบคุณที่ใช้บริการ',
  forgetCancelled: 'ยกเลิกการลบแล้ว ข้อมูลยังคงอยู่ตามเดิม',
  translateAsk: 'กรุณาส่งข้อความที่ต้องการแปล',
  translateUnavailable: 'ขออภัย ขณะนี้ยังไม่สามารถใช้บริการแปลได้ แต่ยังคงค้นหาพันธมิตรและดูรายละเอียดบริษัทได้ตามปกติ',
  translateFailed: 'ขออภัย ไม่สามารถแปลได้ในขณะนี้ กรุณาลองใหม่อีกครั้งภายหลัง',
  translated: (to) => `คำแปล${to}:`,
  sameLanguage: 'กรุณาระบุภาษาปลายทาง เช่น "แปลเป็นภาษาญี่ปุ่น: ข้อความ"',
  unsupportedMedia: 'ขออภัย ยังไม่รองรับรูปภาพ สติกเกอร์ หรือไฟล์ กรุณาพิมพ์ข้อความแทน',
  notUnderstood: 'ขออภัย ยังไม่เข้าใจคำขอ กรุณาพิมพ์บอกว่ากำลังมองหาพันธมิตรแบบใด หรือเลือกจากเมนูด้านล่าง',
  tooLong: (max) => `ข้อความยาวเกินไป กรุณาส่งไม่เกิน ${max} ตัวอักษร`,
  generatedNote: '',
  labels: {
    details: 'รายละเอียด',
    introduce: 'ขอให้แนะนำ',
    more: 'ดูเพิ่มเติม',
    help: 'วิธีใช้',
    human: 'คุยกับเจ้าหน้าที่',
    newSearch: 'ค้นหาใหม่',
    register: 'ลงทะเบียนบริษัท',
    alert: 'แจ้งเตือนบริษัทใหม่',
    translate: 'แปล',
    language: 'Language / 言語',
    yesDelete: 'ยืนยันการลบ',
    no: 'ยกเลิก',
    website: 'เว็บไซต์',
    anyType: 'ทุกรูปแบบ',
  },
  details: {
    country: { JP: 'ญี่ปุ่น', TH: 'ไทย' },
    industry: 'อุตสาหกรรม',
    location: 'ที่ตั้ง',
    offers: 'สินค้าและบริการ',
    seeks: 'กำลังมองหา',
    partnership: 'รูปแบบความร่วมมือ',
    employees: 'จำนวนพนักงาน',
    founded: 'ก่อตั้ง',
    certifications: 'มาตรฐานที่ได้รับ',
  },
  partnership: {
    supplier: 'ผู้จัดหาสินค้า',
    buyer: 'ผู้ซื้อ',
    distributor: 'ตัวแทนจำหน่าย',
    agent: 'ตัวแทนขาย',
    oem: 'OEM',
    joint_venture: 'ร่วมทุน',
    investment: 'การลงทุน',
    licensing: 'สิทธิ์การผลิต (ไลเซนส์)',
    outsourcing: 'จ้างเหมาบริการ',
    technology_transfer: 'ถ่ายทอดเทคโนโลยี',
    other: 'อื่น ๆ',
  },
  subjectExamples: ['ชิ้นส่วนยานยนต์', 'อาหารและเครื่องดื่ม', 'เครื่องจักร', 'ไอทีและซอฟต์แวร์', 'โลจิสติกส์', 'เครื่องสำอาง'],
  listSep: ', ',
};

const en: Messages = {
  langName: 'English',
  greeting:
    'Hello, this is Kakehashi. I help Japanese and Thai companies find each other. Tell me what kind of partner you are looking for, e.g. "Thai OEM maker of auto parts".',
  greetingShort: 'Hello, this is Kakehashi. What kind of partner are you looking for?',
  groupIntro:
    'Kakehashi here: I help Japanese and Thai companies find business partners. In this group I answer when mentioned.',
  chooseLanguage: 'Please choose your language.',
  languageSet: 'I will continue in English.',
  help: 'What I can do:\n• Find partners (e.g. "Japanese food machinery maker")\n• Narrow down ("only OEM", "Bangkok area"); say "more" for the next results\n• Show a company\'s details and request an introduction\n• Translate ("translate: your text")\n• Register your own company ("register my company")\n• Switch language, talk to our staff, and "forget me" to delete your conversation data',
  askSubject:
    'What industry or products should the partner be in? Tell me what your company offers or what you are looking for.',
  askSubjectWithFilters: (f) => `I will search for ${f}. Which industry or products are you interested in?`,
  searching: (what) => `Searching for "${what}".`,
  resultsIntro: (n, target) =>
    `I found ${n} ${target === 'JP' ? 'Japanese ' : target === 'TH' ? 'Thai ' : ''}compan${n === 1 ? 'y' : 'ies'} that may fit.`,
  moreIntro: (n) => `Here ${n === 1 ? 'is' : 'are'} ${n} more.`,
  noResults:
    'I found no company matching this. Try other words or fewer conditions, or ask to talk to our staff.',
  noMoreResults: 'There are no more results. You can change the conditions and search again.',
  noSearchYet: 'There is no search yet. Tell me what kind of partner you are looking for.',
  refineHint: 'You can also narrow down by type of partnership.',
  refined: (what) => `Narrowed down to ${what}.`,
  detailsNotFound: 'I could not find that company. Please give its number in the list or its name.',
  whichCompany: 'Which company do you mean? Please choose.',
  introRecorded: (name) =>
    `Your request for an introduction to ${name} has been recorded. A staff coordinator will review it and get back to you. Contact details are shared only when both sides agree.`,
  introAlready: (name) =>
    `Your introduction request for ${name} is already recorded. A staff coordinator will get back to you.`,
  handoff:
    'I am passing this conversation to a staff coordinator. Please stay in this chat; outside office hours they will reply on the next business day.',
  handoffAlready: 'Our staff have already been notified. Please wait a little.',
  forgetConfirm:
    'This deletes your conversation history, language setting, searches and introduction requests. It cannot be undone. Delete everything?',
  forgetDone: 'Your conversation data has been deleted. Thank you for using Kakehashi.',
  forgetCancelled: 'Nothing was deleted.',
  translateAsk: 'Please send the text to translate.',
  translateUnavailable:
    'Sorry, translation is not available at the moment. Finding partners and company details still work.',
  translateFailed: 'Sorry, the translation failed. Please try again in a moment.',
  translated: (to) => `In ${to}:`,
  sameLanguage: 'Please say which language to translate into, e.g. "translate to Thai: your text".',
  unsupportedMedia:
    'Sorry, I cannot read images, stickers or files. Please describe what you need in a message.',
  notUnderstood:
    'Sorry, I did not understand. Please describe the partner you are looking for, or pick from the menu below.',
  tooLong: (max) => `That message is too long. Please keep it under ${max} characters.`,
  generatedNote: '',
  labels: {
    details: 'Details',
    introduce: 'Request introduction',
    more: 'Show more',
    help: 'Help',
    human: 'Talk to staff',
    newSearch: 'New search',
    register: 'Register my company',
    alert: 'Alert me: new firms',
    translate: 'Translate',
    language: '言語 / ภาษา',
    yesDelete: 'Yes, delete',
    no: 'No',
    website: 'Website',
    anyType: 'Any type',
  },
  details: {
    country: { JP: 'Japan', TH: 'Thailand' },
    industry: 'Industry',
    location: 'Location',
    offers: 'Offers',
    seeks: 'Looking for',
    partnership: 'Partnerships sought',
    employees: 'Employees',
    founded: 'Founded',
    certifications: 'Certifications',
  },
  partnership: {
    supplier: 'Supplier',
    buyer: 'Buyer',
    distributor: 'Distributor',
    agent: 'Sales agent',
    oem: 'OEM',
    joint_venture: 'Joint venture',
    investment: 'Investment',
    licensing: 'Licensing',
    outsourcing: 'Outsourcing',
    technology_transfer: 'Technology transfer',
    other: 'Other',
  },
  subjectExamples: ['Auto parts', 'Food & beverage', 'Machinery', 'IT & software', 'Logistics', 'Cosmetics'],
  listSep: ', ',
};

export const MESSAGES: Record<Lang, Messages> = { ja, th, en };

export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** The first-contact greeting: all three languages, since the user's language is not known yet. */
export const TRILINGUAL_GREETING = [ja.greeting, th.greeting, en.greeting];
