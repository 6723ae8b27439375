import { useEffect, useState } from 'preact/hooks';

export type UiLang = 'en' | 'ja' | 'th';
export const UI_LANGS: UiLang[] = ['ja', 'th', 'en'];
export const LANG_NAMES: Record<UiLang, string> = { ja: '日本語', th: 'ไทย', en: 'English' };

/** Every UI string as [English, Japanese, Thai]. Keys are checked by TypeScript at each use. */
const S = {
  appName: ['Kakehashi console', 'Kakehashi コンソール', 'คอนโซล Kakehashi'],
  'nav.dashboard': ['Dashboard', 'ダッシュボード', 'แดชบอร์ด'],
  'nav.profiles': ['Profiles', '企業プロフィール', 'โปรไฟล์บริษัท'],
  'nav.import': ['Import / export', 'インポート / エクスポート', 'นำเข้า / ส่งออก'],
  'nav.glossary': ['Glossary', '用語集', 'อภิธานศัพท์'],
  'nav.match': ['Try matching', 'マッチングを試す', 'ทดลองจับคู่'],
  'nav.conversations': ['Conversations', '会話', 'บทสนทนา'],
  'nav.introductions': ['Introductions', '紹介', 'การแนะนำ'],
  'nav.audit': ['Audit log', '監査ログ', 'บันทึกการตรวจสอบ'],
  'nav.staff': ['Staff accounts', 'スタッフアカウント', 'บัญชีเจ้าหน้าที่'],
  'nav.tokens': ['API tokens', 'API トークン', 'โทเคน API'],
  'nav.admin': ['Administration', '管理', 'การดูแลระบบ'],
  signOut: ['Sign out', 'サインアウト', 'ออกจากระบบ'],
  signOutEverywhere: ['Sign out everywhere', 'すべての端末でサインアウト', 'ออกจากระบบทุกอุปกรณ์'],
  language: ['Language', '言語', 'ภาษา'],
  'role.admin': ['Admin', '管理者', 'ผู้ดูแล'],
  'role.curator': ['Curator', 'キュレーター', 'ผู้ดูแลข้อมูล'],
  'role.viewer': ['Viewer', '閲覧者', 'ผู้ดู'],
  'role.partner': ['Partner', 'パートナー', 'พันธมิตร'],
  'signIn.title': ['Sign in to the staff console', 'スタッフコンソールにサインイン', 'เข้าสู่ระบบคอนโซลเจ้าหน้าที่'],
  email: ['E-mail', 'メールアドレス', 'อีเมล'],
  password: ['Password', 'パスワード', 'รหัสผ่าน'],
  'signIn.submit': ['Sign in', 'サインイン', 'เข้าสู่ระบบ'],
  'signIn.failed': [
    'Wrong e-mail or password.',
    'メールアドレスまたはパスワードが違います。',
    'อีเมลหรือรหัสผ่านไม่ถูกต้อง',
  ],
  'signIn.locked': [
    'Too many failed attempts. Try again in {s} s.',
    '失敗が続いたため一時停止中です。{s} 秒後に再試行してください。',
    'ลองผิดหลายครั้งเกินไป โปรดลองใหม่ใน {s} วินาที',
  ],
  save: ['Save', '保存', 'บันทึก'],
  saving: ['Saving…', '保存中…', 'กำลังบันทึก…'],
  saved: ['Saved', '保存しました', 'บันทึกแล้ว'],
  cancel: ['Cancel', 'キャンセル', 'ยกเลิก'],
  search: ['Search', '検索', 'ค้นหา'],
  searchName: ['Name or ID…', '社名または ID…', 'ชื่อหรือรหัส…'],
  all: ['All', 'すべて', 'ทั้งหมด'],
  any: ['Any', '指定なし', 'ทั้งหมด'],
  prev: ['Previous', '前へ', 'ก่อนหน้า'],
  next: ['Next', '次へ', 'ถัดไป'],
  pageOf: ['Page {p} of {n}', '{p} / {n} ページ', 'หน้า {p} จาก {n}'],
  profilesCount: ['{n} profiles', '{n} 件', '{n} โปรไฟล์'],
  loading: ['Loading…', '読み込み中…', 'กำลังโหลด…'],
  retry: ['Retry', '再試行', 'ลองใหม่'],
  close: ['Close', '閉じる', 'ปิด'],
  create: ['Create', '作成', 'สร้าง'],
  actions: ['Actions', '操作', 'การดำเนินการ'],
  none: ['None', 'なし', 'ไม่มี'],
  yes: ['Yes', 'はい', 'ใช่'],
  no: ['No', 'いいえ', 'ไม่'],
  arrivesWith: [
    'Arrives with the chat: this page fills in once conversations and introductions are running.',
    'チャット機能の導入後に利用できます。会話と紹介が動き始めるとここに表示されます。',
    'จะพร้อมใช้งานเมื่อมีระบบแชท หน้านี้จะแสดงข้อมูลเมื่อมีบทสนทนาและการแนะนำ',
  ],
  notInstalled: [
    'Not available on this server yet ({what}).',
    'このサーバーではまだ利用できません（{what}）。',
    'ยังไม่พร้อมใช้งานบนเซิร์ฟเวอร์นี้ ({what})',
  ],
  country: ['Country', '国', 'ประเทศ'],
  'country.JP': ['Japan', '日本', 'ญี่ปุ่น'],
  'country.TH': ['Thailand', 'タイ', 'ไทย'],
  status: ['Status', 'ステータス', 'สถานะ'],
  'status.draft': ['Draft', '下書き', 'ฉบับร่าง'],
  'status.published': ['Published', '公開中', 'เผยแพร่แล้ว'],
  'status.archived': ['Archived', 'アーカイブ', 'เก็บถาวร'],
  industry: ['Industry', '業種', 'อุตสาหกรรม'],
  pendingReview: ['MT pending review', '機械翻訳 未確認', 'แปลด้วยเครื่อง รอตรวจ'],
  missingLang: ['Missing name in', '社名が未入力の言語', 'ไม่มีชื่อในภาษา'],
  missing: ['no {lang}', '{lang}なし', 'ไม่มี{lang}'],
  mt: ['MT', '機械翻訳', 'แปลเครื่อง'],
  updated: ['Updated', '更新', 'อัปเดต'],
  name: ['Name', '名称', 'ชื่อ'],
  newProfile: ['New profile', '新規プロフィール', 'โปรไฟล์ใหม่'],
  noResults: ['Nothing matches these filters.', '条件に一致するものはありません。', 'ไม่พบรายการที่ตรงกับตัวกรอง'],
  'lang.ja': ['Japanese', '日本語', 'ญี่ปุ่น'],
  'lang.th': ['Thai', 'タイ語', 'ไทย'],
  'lang.en': ['English', '英語', 'อังกฤษ'],
  'field.externalId': ['External ID', '外部 ID', 'รหัสภายนอก'],
  'field.names': ['Company name', '会社名', 'ชื่อบริษัท'],
  'field.summary': ['Summary', '概要', 'สรุป'],
  'field.description': ['Description', '説明', 'รายละเอียด'],
  'field.offerings': ['Offerings', '提供するもの', 'สิ่งที่นำเสนอ'],
  'field.seeking': ['Seeking', '求めるもの', 'สิ่งที่มองหา'],
  'field.location': ['Location', '所在地', 'ที่ตั้ง'],
  'field.industries': ['Industries', '業種', 'อุตสาหกรรม'],
  'field.partnershipTypes': ['Partnership types', '提携形態', 'รูปแบบความร่วมมือ'],
  'field.employees': ['Employees', '従業員数', 'จำนวนพนักงาน'],
  'field.foundedYear': ['Founded', '設立年', 'ปีที่ก่อตั้ง'],
  'field.website': ['Website', 'ウェブサイト', 'เว็บไซต์'],
  'field.certifications': ['Certifications', '認証', 'การรับรอง'],
  'field.languages': ['Working languages', '対応言語', 'ภาษาที่ใช้ทำงาน'],
  'field.contact': ['Private contact', '非公開の連絡先', 'ข้อมูลติดต่อ (ส่วนตัว)'],
  'field.contact.help': [
    'Never shown to users, lists or the language model; released only by mutual consent.',
    'ユーザー・一覧・言語モデルには表示されません。双方の同意時のみ開示されます。',
    'ไม่แสดงต่อผู้ใช้ รายการ หรือโมเดลภาษา เปิดเผยเมื่อทั้งสองฝ่ายยินยอมเท่านั้น',
  ],
  'contact.person': ['Person', '担当者', 'ผู้ติดต่อ'],
  'contact.phone': ['Phone', '電話', 'โทรศัพท์'],
  'contact.lineId': ['LINE ID', 'LINE ID', 'LINE ID'],
  onePerLine: ['one per line', '1行に1つ', 'บรรทัดละหนึ่งรายการ'],
  commaSeparated: ['comma-separated', 'カンマ区切り', 'คั่นด้วยจุลภาค'],
  scheme: ['Scheme', '分類体系', 'ระบบรหัส'],
  code: ['Code', 'コード', 'รหัส'],
  label: ['Label', 'ラベル', 'ป้ายชื่อ'],
  addIndustry: ['Add industry', '業種を追加', 'เพิ่มอุตสาหกรรม'],
  remove: ['Remove', '削除', 'ลบ'],
  mtBadge: ['machine-translated', '機械翻訳', 'แปลด้วยเครื่อง'],
  approve: ['Approve', '承認', 'อนุมัติ'],
  approveAll: ['Approve all translations', 'すべての翻訳を承認', 'อนุมัติคำแปลทั้งหมด'],
  translateMissing: ['Translate missing', '未入力を翻訳', 'แปลส่วนที่ขาด'],
  translateUnavailable: [
    'No language model is configured on this server, so machine translation is unavailable.',
    'このサーバーには言語モデルが設定されていないため、機械翻訳は使えません。',
    'เซิร์ฟเวอร์นี้ไม่ได้ตั้งค่าโมเดลภาษา จึงใช้การแปลด้วยเครื่องไม่ได้',
  ],
  translating: ['Translating…', '翻訳中…', 'กำลังแปล…'],
  translatedFilled: [
    '{n} fields filled by machine translation; check them, then save.',
    '{n} 項目を機械翻訳で入力しました。確認してから保存してください。',
    'กรอก {n} ช่องด้วยการแปลด้วยเครื่อง โปรดตรวจแล้วบันทึก',
  ],
  publish: ['Publish', '公開', 'เผยแพร่'],
  toDraft: ['Back to draft', '下書きに戻す', 'กลับเป็นฉบับร่าง'],
  archive: ['Archive', 'アーカイブ', 'เก็บถาวร'],
  restore: ['Restore as draft', '下書きとして復元', 'กู้คืนเป็นฉบับร่าง'],
  'conflict.title': [
    'Someone else saved this profile while you were editing',
    '編集中に他の人がこのプロフィールを保存しました',
    'มีผู้อื่นบันทึกโปรไฟล์นี้ระหว่างที่คุณแก้ไข',
  ],
  'conflict.help': [
    'Their other changes are merged in. For each field below both of you changed, choose which text to keep; yours stays in the form until you decide.',
    '相手の他の変更は取り込み済みです。双方が変更した下記の項目について、残す内容を選んでください。決めるまであなたの入力はフォームに残ります。',
    'การเปลี่ยนแปลงอื่นของอีกฝ่ายถูกรวมแล้ว สำหรับช่องด้านล่างที่ทั้งสองฝ่ายแก้ไข โปรดเลือกข้อความที่จะเก็บไว้ ข้อความของคุณยังอยู่ในฟอร์มจนกว่าจะตัดสินใจ',
  ],
  'conflict.mine': ['Yours', 'あなたの内容', 'ของคุณ'],
  'conflict.theirs': ['Theirs (saved)', '相手の内容（保存済み）', 'ของอีกฝ่าย (บันทึกแล้ว)'],
  'conflict.keepMine': ['Keep mine', '自分の内容を残す', 'ใช้ของฉัน'],
  'conflict.takeTheirs': ['Take theirs', '相手の内容を使う', 'ใช้ของอีกฝ่าย'],
  'conflict.merged': [
    'Their changes were merged; nothing conflicted. Review and save again.',
    '相手の変更を取り込みました（競合なし）。確認して再度保存してください。',
    'รวมการเปลี่ยนแปลงของอีกฝ่ายแล้ว ไม่มีข้อขัดแย้ง โปรดตรวจแล้วบันทึกอีกครั้ง',
  ],
  'tab.edit': ['Edit', '編集', 'แก้ไข'],
  'tab.history': ['History', '変更履歴', 'ประวัติ'],
  'tab.preview': ['Preview card', 'カードのプレビュー', 'ตัวอย่างการ์ด'],
  at: ['When', '日時', 'เวลา'],
  actor: ['Who', '実行者', 'ผู้ดำเนินการ'],
  action: ['Action', '操作', 'การดำเนินการ'],
  fields: ['Fields', '項目', 'ช่องข้อมูล'],
  before: ['Before', '変更前', 'ก่อน'],
  after: ['After', '変更後', 'หลัง'],
  previewAs: ['Preview as a user writing in', 'プレビューする利用者の言語', 'ดูตัวอย่างในฐานะผู้ใช้ภาษา'],
  previewFallback: [
    'No {lang} text for: {fields}. The user sees another language there.',
    '{lang}の文がない項目：{fields}。利用者には別の言語で表示されます。',
    'ไม่มีข้อความภาษา{lang}สำหรับ: {fields} ผู้ใช้จะเห็นภาษาอื่นแทน',
  ],
  previewComplete: [
    'Every shown field has {lang} text.',
    '表示項目はすべて{lang}で入力済みです。',
    'ทุกช่องที่แสดงมีข้อความภาษา{lang}',
  ],
  readOnly: [
    'Read only: your role (viewer) cannot change profiles.',
    '閲覧のみ：あなたのロール（閲覧者）はプロフィールを変更できません。',
    'อ่านอย่างเดียว: บทบาทของคุณ (ผู้ดู) แก้ไขโปรไฟล์ไม่ได้',
  ],
  fixFields: [
    'Please fix the highlighted fields.',
    '強調表示された項目を修正してください。',
    'โปรดแก้ไขช่องที่ไฮไลต์',
  ],
  nameRequired: [
    'At least one language needs a name.',
    '少なくとも1つの言語で社名が必要です。',
    'ต้องมีชื่ออย่างน้อยหนึ่งภาษา',
  ],
  unsaved: ['Unsaved changes', '未保存の変更', 'มีการเปลี่ยนแปลงที่ยังไม่บันทึก'],
  version: ['Version', 'バージョン', 'เวอร์ชัน'],
  'import.title': ['Import profiles', 'プロフィールのインポート', 'นำเข้าโปรไฟล์'],
  'import.help': [
    'JSON (array of profiles) or CSV with names.ja, names.th… columns. Nothing is written until you confirm.',
    'JSON（プロフィールの配列）または names.ja, names.th… 列の CSV。確定するまで何も書き込まれません。',
    'JSON (อาร์เรย์ของโปรไฟล์) หรือ CSV ที่มีคอลัมน์ names.ja, names.th… จะไม่มีการบันทึกจนกว่าคุณจะยืนยัน',
  ],
  chooseFile: ['Choose a file', 'ファイルを選択', 'เลือกไฟล์'],
  uploading: ['Uploading {p}%', 'アップロード中 {p}%', 'กำลังอัปโหลด {p}%'],
  validating: ['Checking every row…', '全行を検証中…', 'กำลังตรวจสอบทุกแถว…'],
  importing: ['Importing…', 'インポート中…', 'กำลังนำเข้า…'],
  'import.summary': [
    '{total} rows: {valid} valid, {rejected} invalid ({created} new, {updated} changed, {unchanged} unchanged).',
    '{total} 行：有効 {valid}、無効 {rejected}（新規 {created}、変更 {updated}、変更なし {unchanged}）。',
    '{total} แถว: ถูกต้อง {valid} ไม่ถูกต้อง {rejected} (ใหม่ {created} เปลี่ยน {updated} ไม่เปลี่ยน {unchanged})',
  ],
  'import.invalidRows': ['Invalid rows', '無効な行', 'แถวที่ไม่ถูกต้อง'],
  row: ['Row', '行', 'แถว'],
  field: ['Field', '項目', 'ช่อง'],
  reason: ['Reason', '理由', 'เหตุผล'],
  importValid: [
    'Import {n} valid rows, skip {m} invalid',
    '有効な {n} 行をインポート（無効な {m} 行は除外）',
    'นำเข้า {n} แถวที่ถูกต้อง ข้าม {m} แถวที่ไม่ถูกต้อง',
  ],
  importAll: ['Import {n} rows', '{n} 行をインポート', 'นำเข้า {n} แถว'],
  'import.done': [
    'Imported: {created} new, {updated} changed, {unchanged} unchanged, {skipped} skipped.',
    'インポート完了：新規 {created}、変更 {updated}、変更なし {unchanged}、除外 {skipped}。',
    'นำเข้าแล้ว: ใหม่ {created} เปลี่ยน {updated} ไม่เปลี่ยน {unchanged} ข้าม {skipped}',
  ],
  'export.title': ['Export', 'エクスポート', 'ส่งออก'],
  'export.help': [
    'Every profile, contacts included (re-importable as is). Curators and admins only.',
    '全プロフィール（連絡先を含む、そのまま再インポート可能）。キュレーターと管理者のみ。',
    'โปรไฟล์ทั้งหมดรวมข้อมูลติดต่อ (นำเข้าซ้ำได้ทันที) เฉพาะผู้ดูแลข้อมูลและผู้ดูแลระบบ',
  ],
  'glossary.title': ['Business glossary', 'ビジネス用語集', 'อภิธานศัพท์ธุรกิจ'],
  'glossary.help': [
    'Terms kept consistent in every translation. "Do not translate" keeps brand and company names as written.',
    'すべての翻訳で統一される用語。「翻訳しない」はブランド名・社名をそのまま残します。',
    'คำที่ใช้ให้ตรงกันในทุกคำแปล "ไม่ต้องแปล" จะคงชื่อแบรนด์และชื่อบริษัทไว้ตามเดิม',
  ],
  doNotTranslate: ['Do not translate', '翻訳しない', 'ไม่ต้องแปล'],
  note: ['Note', 'メモ', 'หมายเหตุ'],
  addTerm: ['Add term', '用語を追加', 'เพิ่มคำ'],
  importTerms: ['Import terms (JSON/CSV)', '用語をインポート（JSON/CSV）', 'นำเข้าคำ (JSON/CSV)'],
  exportTerms: ['Export CSV', 'CSV をエクスポート', 'ส่งออก CSV'],
  edit: ['Edit', '編集', 'แก้ไข'],
  delete: ['Delete', '削除', 'ลบ'],
  'match.title': ['Try matching', 'マッチングを試す', 'ทดลองจับคู่'],
  'match.help': [
    'Runs the real matcher on a request as a user would type it, and shows what they would see.',
    '利用者が入力するような依頼で実際のマッチングを実行し、利用者に見える結果を表示します。',
    'รันระบบจับคู่จริงกับคำขอแบบที่ผู้ใช้พิมพ์ และแสดงสิ่งที่ผู้ใช้จะเห็น',
  ],
  'match.placeholder': [
    'e.g. タイで自動車部品の販売代理店を探しています',
    '例：タイで自動車部品の販売代理店を探しています',
    'เช่น หาผู้ผลิตเครื่องจักรญี่ปุ่น',
  ],
  'match.lang': ['Request language', '依頼の言語', 'ภาษาของคำขอ'],
  auto: ['Detect', '自動判定', 'ตรวจจับอัตโนมัติ'],
  seekerCountry: ['Seeker is in', '依頼者の所在国', 'ผู้ค้นหาอยู่ใน'],
  limit: ['Results', '件数', 'จำนวนผลลัพธ์'],
  run: ['Match', 'マッチング', 'จับคู่'],
  score: ['Score', 'スコア', 'คะแนน'],
  explanation: ['Why (as the user sees it)', '理由（利用者への表示）', 'เหตุผล (ตามที่ผู้ใช้เห็น)'],
  matched: ['Matched on', '一致した点', 'ตรงกันที่'],
  'match.understood': ['Understood as', '解釈', 'เข้าใจว่า'],
  'match.none': [
    'No matches for this request.',
    'この依頼に一致する企業はありません。',
    'ไม่พบบริษัทที่ตรงกับคำขอนี้',
  ],
  'dash.profiles': ['Profiles', 'プロフィール', 'โปรไฟล์'],
  'dash.byCountry': [
    'Profiles by country and status',
    '国・ステータス別プロフィール',
    'โปรไฟล์ตามประเทศและสถานะ',
  ],
  'dash.missing': ['Names missing per language', '言語別の社名未入力', 'ชื่อที่ขาดในแต่ละภาษา'],
  'dash.activity': ['Curation changes, last 30 days', '直近30日の編集件数', 'การแก้ไขข้อมูลใน 30 วันล่าสุด'],
  'dash.llm': [
    'LLM calls and tokens by model, last 30 days',
    'モデル別 LLM 呼び出しとトークン（直近30日）',
    'การเรียก LLM และโทเคนตามโมเดล (30 วันล่าสุด)',
  ],
  'dash.chat': [
    'Requests, matches shown, introductions and relay messages',
    '依頼・表示したマッチ・紹介・中継メッセージ',
    'คำขอ การจับคู่ที่แสดง การแนะนำ และข้อความที่ส่งต่อ',
  ],
  calls: ['Calls', '呼び出し', 'จำนวนครั้ง'],
  failed: ['Failed', '失敗', 'ล้มเหลว'],
  tokensInOut: ['Tokens in / out', 'トークン 入力 / 出力', 'โทเคน เข้า / ออก'],
  'llm.none': [
    'No language model is configured: generation and translation are off.',
    '言語モデルが未設定のため、生成と翻訳は無効です。',
    'ไม่ได้ตั้งค่าโมเดลภาษา การสร้างข้อความและการแปลจึงปิดอยู่',
  ],
  model: ['Model', 'モデル', 'โมเดล'],
  total: ['Total', '合計', 'รวม'],
  entityType: ['Type', '種別', 'ประเภท'],
  entityId: ['Item', '対象', 'รายการ'],
  loadMore: ['Load more', 'さらに読み込む', 'โหลดเพิ่ม'],
  'staff.title': ['Staff accounts', 'スタッフアカウント', 'บัญชีเจ้าหน้าที่'],
  displayName: ['Display name', '表示名', 'ชื่อที่แสดง'],
  role: ['Role', 'ロール', 'บทบาท'],
  lastSignIn: ['Last sign-in', '最終サインイン', 'เข้าสู่ระบบล่าสุด'],
  disabled: ['Disabled', '無効', 'ปิดใช้งาน'],
  active: ['Active', '有効', 'ใช้งาน'],
  enable: ['Enable', '有効にする', 'เปิดใช้งาน'],
  disable: ['Disable', '無効にする', 'ปิดใช้งาน'],
  resetPassword: ['Set password', 'パスワード設定', 'ตั้งรหัสผ่าน'],
  endSessions: ['End sessions', 'セッション終了', 'ยุติเซสชัน'],
  createStaff: ['Add staff member', 'スタッフを追加', 'เพิ่มเจ้าหน้าที่'],
  passwordRule: ['at least 12 characters', '12文字以上', 'อย่างน้อย 12 ตัวอักษร'],
  'tokens.title': ['API tokens', 'API トークン', 'โทเคน API'],
  tokenName: ['Name', '名前', 'ชื่อ'],
  created: ['Created', '作成日', 'สร้างเมื่อ'],
  lastUsed: ['Last used', '最終使用', 'ใช้ล่าสุด'],
  revoked: ['Revoked', '失効', 'เพิกถอนแล้ว'],
  revoke: ['Revoke', '失効させる', 'เพิกถอน'],
  createToken: ['Create token', 'トークンを作成', 'สร้างโทเคน'],
  tokenOnce: [
    'Copy this token now; it is never shown again.',
    'このトークンを今コピーしてください。二度と表示されません。',
    'คัดลอกโทเคนนี้ตอนนี้ จะไม่แสดงอีก',
  ],
  confirm: ['Are you sure?', 'よろしいですか？', 'แน่ใจหรือไม่?'],
  'pt.supplier': ['supplier', 'サプライヤー', 'ผู้จัดหา'],
  'pt.buyer': ['buyer', 'バイヤー', 'ผู้ซื้อ'],
  'pt.distributor': ['distributor', '販売代理店', 'ผู้จัดจำหน่าย'],
  'pt.agent': ['agent', 'エージェント', 'ตัวแทน'],
  'pt.oem': ['OEM', 'OEM', 'OEM'],
  'pt.joint_venture': ['joint venture', '合弁', 'กิจการร่วมค้า'],
  'pt.investment': ['investment', '出資', 'การลงทุน'],
  'pt.licensing': ['licensing', 'ライセンス', 'การให้สิทธิ์'],
  'pt.outsourcing': ['outsourcing', '業務委託', 'การจ้างภายนอก'],
  'pt.technology_transfer': ['technology transfer', '技術移転', 'การถ่ายทอดเทคโนโลยี'],
  'pt.other': ['other', 'その他', 'อื่น ๆ'],
  // Conversations (staff side of the chat)
  'conv.waiting': ['{n} waiting for staff', '{n} 件が担当者を待っています', 'รอเจ้าหน้าที่ {n} รายการ'],
  'conv.count': ['{n} conversations', '{n} 件の会話', '{n} บทสนทนา'],
  'conv.channel': ['Channel', 'チャネル', 'ช่องทาง'],
  'conv.channel.line': ['LINE', 'LINE', 'LINE'],
  'conv.channel.web': ['Web chat', 'Web チャット', 'เว็บแชต'],
  'conv.queue': ['Queue', 'キュー', 'คิว'],
  'conv.queue.needs-staff': ['Needs staff', '担当者対応待ち', 'รอเจ้าหน้าที่'],
  'conv.queue.staff': ['With staff', '担当者対応中', 'เจ้าหน้าที่ดูแลอยู่'],
  'conv.active': ['Activity', '最終活動', 'กิจกรรมล่าสุด'],
  'conv.active.1h': ['Last hour', '1 時間以内', 'ภายใน 1 ชั่วโมง'],
  'conv.active.24h': ['Last 24 hours', '24 時間以内', 'ภายใน 24 ชั่วโมง'],
  'conv.active.7d': ['Last 7 days', '7 日以内', 'ภายใน 7 วัน'],
  'conv.active.30d': ['Last 30 days', '30 日以内', 'ภายใน 30 วัน'],
  'conv.conversation': ['Conversation', '会話', 'บทสนทนา'],
  'conv.state': ['State', '状態', 'สถานะ'],
  'conv.messages': ['Messages', 'メッセージ', 'ข้อความ'],
  'conv.lastActivity': ['Last activity', '最終活動', 'กิจกรรมล่าสุด'],
  'conv.company': ['Company', '企業', 'บริษัท'],
  'conv.group': ['group', 'グループ', 'กลุ่ม'],
  'conv.mode.bot': ['Bot', 'ボット', 'บอต'],
  'conv.mode.staff': ['Staff: {who}', '担当: {who}', 'เจ้าหน้าที่: {who}'],
  'conv.needsStaffSince': ['Asked for staff {when}', '担当者を希望 {when}', 'ขอคุยกับเจ้าหน้าที่ {when}'],
  'conv.live': ['Updates live', '自動更新中', 'อัปเดตอัตโนมัติ'],
  'conv.back': ['All conversations', '会話一覧へ', 'บทสนทนาทั้งหมด'],
  'conv.from.user': ['User', 'ユーザー', 'ผู้ใช้'],
  'conv.from.bot': ['Bot', 'ボット', 'บอต'],
  'conv.from.staff': ['Staff ({who})', '担当者（{who}）', 'เจ้าหน้าที่ ({who})'],
  'conv.original': ['As written', '原文', 'ต้นฉบับ'],
  'conv.translation': ['Translation', '翻訳', 'คำแปล'],
  'conv.translate': ['Translate', '翻訳する', 'แปล'],
  'conv.translateAll': ['Translate all into {lang}', 'すべて{lang}に翻訳', 'แปลทั้งหมดเป็นภาษา{lang}'],
  'conv.sentAsWritten': [
    'Sent as written (no translation available)',
    '翻訳できなかったため原文のまま送信',
    'ส่งตามที่เขียน (แปลไม่ได้)',
  ],
  'conv.staffWrote': ['Written by staff in {lang}', '担当者が{lang}で記入', 'เจ้าหน้าที่เขียนเป็นภาษา{lang}'],
  'conv.unsent': ['(unsent by the user)', '（ユーザーが送信取消）', '(ผู้ใช้ยกเลิกการส่ง)'],
  'conv.button': ['Pressed a button: {data}', 'ボタンを押しました: {data}', 'กดปุ่ม: {data}'],
  'conv.cards': ['Showed: {names}', '表示した企業: {names}', 'แสดง: {names}'],
  'conv.notice.joined': [
    'Told the user a coordinator joined',
    'ユーザーに担当者の参加を通知',
    'แจ้งผู้ใช้ว่าเจ้าหน้าที่เข้าร่วมแล้ว',
  ],
  'conv.notice.handed-back': [
    'Told the user the bot is back',
    'ユーザーにボットへの切り替えを通知',
    'แจ้งผู้ใช้ว่าบอตกลับมาดูแล',
  ],
  'conv.takeOver': ['Take over', '対応を引き継ぐ', 'รับเรื่องต่อ'],
  'conv.handBack': ['Hand back to the bot', 'ボットに戻す', 'ส่งคืนให้บอต'],
  'conv.takenOverHint': [
    'You have the conversation: the bot is quiet until you hand it back.',
    'この会話は担当者対応中です。ボットに戻すまでボットは応答しません。',
    'เจ้าหน้าที่ดูแลบทสนทนานี้อยู่ บอตจะไม่ตอบจนกว่าจะส่งคืน',
  ],
  'conv.takeOverFirst': [
    'Take the conversation over to write to the user.',
    'ユーザーに返信するには、まず対応を引き継いでください。',
    'รับเรื่องต่อก่อนจึงจะตอบผู้ใช้ได้',
  ],
  'conv.readOnly': [
    'Viewers can read conversations; curators and admins take over and reply.',
    '閲覧者は会話を読むことができます。引き継ぎと返信はキュレーターと管理者が行います。',
    'ผู้ดูอ่านบทสนทนาได้ ผู้ดูแลข้อมูลและผู้ดูแลระบบเป็นผู้รับเรื่องต่อและตอบ',
  ],
  'conv.reply': ['Reply', '返信', 'ตอบกลับ'],
  'conv.replyPlaceholder': ['Write in your language…', 'ご自身の言語で入力…', 'เขียนเป็นภาษาของคุณ…'],
  'conv.writtenIn': ['Written in', '記入言語', 'เขียนเป็นภาษา'],
  'conv.translateFor': [
    'Translate into {lang} for the user',
    'ユーザー向けに{lang}へ翻訳',
    'แปลเป็นภาษา{lang}ให้ผู้ใช้',
  ],
  'conv.send': ['Send', '送信', 'ส่ง'],
  'conv.sendAsWritten': ['Send as written', '原文のまま送信', 'ส่งตามที่เขียน'],
  'conv.sentUntranslated': [
    'Sent as written: no language model is configured, so it was not translated into {lang}.',
    '言語モデルが設定されていないため、{lang}に翻訳せず原文のまま送信しました。',
    'ส่งตามที่เขียนแล้ว: ยังไม่ได้ตั้งค่าโมเดลภาษา จึงไม่ได้แปลเป็นภาษา{lang}',
  ],
  'conv.willSendAsWritten': [
    'No language model: this is sent as written, not translated into {lang}.',
    '言語モデルがないため、{lang}に翻訳せず原文のまま送信されます。',
    'ไม่มีโมเดลภาษา: ข้อความจะถูกส่งตามที่เขียน ไม่ได้แปลเป็นภาษา{lang}',
  ],
  'conv.noLlm': [
    'No language model is configured: messages cannot be translated here, and your replies are sent as written.',
    '言語モデルが設定されていません。ここでは翻訳できず、返信は原文のまま送信されます。',
    'ยังไม่ได้ตั้งค่าโมเดลภาษา: แปลข้อความที่นี่ไม่ได้ และคำตอบของคุณจะถูกส่งตามที่เขียน',
  ],
  'conv.translateFailed': [
    'The translation failed: {detail}',
    '翻訳に失敗しました: {detail}',
    'การแปลล้มเหลว: {detail}',
  ],
  'conv.userLang': ['User’s language', 'ユーザーの言語', 'ภาษาของผู้ใช้'],
  'conv.unknownLang': ['not known yet', '未確定', 'ยังไม่ทราบ'],
  forbidden: [
    'Your role does not allow this.',
    'あなたのロールではこの操作はできません。',
    'บทบาทของคุณทำสิ่งนี้ไม่ได้',
  ],
} as const satisfies Record<string, readonly [string, string, string]>;

export type MessageKey = keyof typeof S;
const INDEX: Record<UiLang, 0 | 1 | 2> = { en: 0, ja: 1, th: 2 };
const STORAGE_KEY = 'kakehashi.console.lang';

function initialLang(): UiLang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'ja' || stored === 'th' || stored === 'en') return stored;
  const nav = navigator.language.slice(0, 2);
  return nav === 'ja' || nav === 'th' ? nav : 'en';
}

let current: UiLang = initialLang();
const listeners = new Set<() => void>();
document.documentElement.lang = current;

export function getLang(): UiLang {
  return current;
}
export function hasStoredLang(): boolean {
  return localStorage.getItem(STORAGE_KEY) !== null;
}

/** Switches the UI language everywhere at once and remembers it in this browser. */
export function setLang(lang: UiLang): void {
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = S[key][INDEX[current]];
  return text.replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? `{${v}}`));
}

/** Re-renders the calling component when the language changes. */
export function useLang(): UiLang {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return current;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const locale = current === 'ja' ? 'ja-JP' : current === 'th' ? 'th-TH' : 'en-GB';
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
