/**
 * Corrections to ICU's word dictionary (what Intl.Segmenter uses) for the business vocabulary Kakehashi
 * matches on. ICU splits many lexicalised Thai compounds into parts that mean something else alone
 * ("ยานยนต์" automotive → "ยาน" vehicle + "ยนต์" engine; "ขนส่ง" transport → "ขน" carry/hair + "ส่ง" send),
 * and breaks loanwords into syllables ("โลจิสติกส์" → โล|จิ|สติ|กส์). Adjacent segments whose concatenation
 * is listed here are merged back into one token.
 *
 * Add a word only when its parts would be misleading or meaningless as search terms; a phrase of two real
 * words ("วัสดุก่อสร้าง" = materials + construction) is better left split so either word matches.
 * Entries are normalised at load time, so write them as users type them.
 */
export const THAI_COMPOUNDS: readonly string[] = [
  // Industries and products
  'ชิ้นส่วน', // parts, components
  'ยานยนต์', // automotive
  'หุ่นยนต์', // robot
  'ส่วนประกอบ', // component
  'บรรจุภัณฑ์', // packaging
  'เครื่องดื่ม', // beverages
  'เครื่องมือ', // tools
  'เครื่องจักรกล', // machinery
  'เครื่องใช้ไฟฟ้า', // electrical appliances
  'เครื่องสำอาง', // cosmetics
  'เครื่องนุ่งห่ม', // apparel
  'เครื่องปรับอากาศ', // air conditioners
  'เครื่องปรุงรส', // seasonings
  'สิ่งทอ', // textiles
  'สิ่งพิมพ์', // printed matter
  'แม่พิมพ์', // moulds, dies
  'ขึ้นรูป', // forming, moulding
  'ตู้เย็น', // refrigerators
  'ห้องเย็น', // cold storage
  'คลังสินค้า', // warehouse
  'มันสำปะหลัง', // cassava
  'ผลไม้', // fruit
  'แสงอาทิตย์', // solar
  'อลูมิเนียม',
  'เซมิคอนดักเตอร์',
  'ซัพพลายเออร์',
  'โลจิสติกส์',
  'เซรามิก',
  'ซิเมนต์', // cement, both spellings (ปูนซิเมนต์ไทย = Siam Cement)
  'ซีเมนต์',
  'เอทานอล',
  'ไบโอ', // bio-, as in ไบโอพลาสติก, ไบโอดีเซล
  'คลาวด์',
  'ลีสซิ่ง',
  // Services and functions
  'ขนส่ง', // transport
  'รับเหมา', // contracting
  'นำเข้า', // import
  'ส่งออก', // export
  'จัดจำหน่าย', // distribution
  'ค้าปลีก', // retail
  'ค้าส่ง', // wholesale
  'ท่องเที่ยว', // tourism
  'ที่ปรึกษา', // consultant ("ที่" alone is a stop word)
  'ตรวจสอบ', // inspection, audit
  'โรงพยาบาล', // hospital
  'ทันตกรรม', // dentistry
  'ปัญญาประดิษฐ์', // artificial intelligence
  // Finance (SET sector names)
  'เงินทุน', // capital
  'หลักทรัพย์', // securities
  'ประกันภัย', // insurance
  'ประกันชีวิต', // life insurance
  'ครัวเรือน', // household
  'เฉพาะกิจ', // special-purpose
  'ส่วนตัว', // personal ("ส่วน" alone is part/section)
];

/** ICU glues a few words that it splits everywhere else; split them the same way for consistency. */
export const THAI_SPLITS: Readonly<Record<string, readonly string[]>> = {
  // ICU keeps "การเกษตร" whole but splits การ|ผลิต, การ|แพทย์, การ|เงิน ...: "เกษตร" must match either way.
  การเกษตร: ['การ', 'เกษตร'],
};

/** ICU's CJK dictionary splits a few inflected request words; rejoining them lets the stop list catch them. */
export const JAPANESE_COMPOUNDS: readonly string[] = ['ください', '探し', '見つけ', 'いただけ', 'いたし'];
