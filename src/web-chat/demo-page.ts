/** The page served at `/`: what Kakehashi is, in three languages, with the chat widget embedded by one tag. */

export const DEMO_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // The page's own styles and the widget's (inside its shadow root) are inline.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function demoPage(): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Kakehashi 架け橋 · สะพาน — Japan–Thailand business matching</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light; --ink:#1d2433; --muted:#5b6578; --accent:#c8102e; --bg:#f6f4ef; }
  * { box-sizing: border-box; }
  body { margin:0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Noto Sans Thai", sans-serif; color:var(--ink); background:var(--bg); }
  header { padding: 56px 24px 40px; background: linear-gradient(135deg,#1d2433 0%,#2d3a55 60%,#3b2f4a 100%); color:#fff; }
  .wrap { max-width: 960px; margin: 0 auto; }
  h1 { font-size: clamp(28px, 5vw, 44px); margin: 0 0 8px; letter-spacing: .02em; }
  h1 small { font-weight: 400; opacity: .75; font-size: .5em; margin-left: .4em; }
  header p { margin: 0; max-width: 640px; opacity: .9; font-size: 18px; }
  main { padding: 40px 24px 120px; }
  .grid { display:grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 20px; }
  .card { background:#fff; border-radius: 14px; padding: 22px; box-shadow: 0 1px 2px rgba(0,0,0,.06), 0 8px 24px rgba(29,36,51,.06); }
  .card h2 { font-size: 18px; margin: 0 0 8px; }
  .card p { margin: 0; color: var(--muted); font-size: 15px; }
  .try { margin-top: 32px; background:#fff; border-left: 4px solid var(--accent); border-radius: 10px; padding: 18px 22px; }
  .try q { display:block; margin: 4px 0; quotes: "「" "」"; }
  code { background:#eef0f4; padding: 2px 6px; border-radius: 6px; font-size: 14px; }
  footer { color: var(--muted); font-size: 14px; margin-top: 40px; }
</style>
</head>
<body>
<header><div class="wrap">
  <h1>Kakehashi <small>架け橋 · สะพาน</small></h1>
  <p>日本とタイの企業をつなぐビジネスマッチング。ご自分の言葉で、お探しのパートナーをお書きください。<br>
  เชื่อมธุรกิจไทยกับญี่ปุ่น พิมพ์บอกพันธมิตรที่ต้องการเป็นภาษาของท่าน<br>
  Matching Japanese and Thai companies — ask in your own language.</p>
</div></header>
<main><div class="wrap">
  <div class="grid">
    <section class="card"><h2>探す · ค้นหา · Find</h2><p>業種・製品・提携の形態・地域から、相手国の企業を探して理由とともにご紹介します。</p></section>
    <section class="card"><h2>つなぐ · เชื่อมต่อ · Connect</h2><p>ขอให้แนะนำบริษัทที่สนใจได้ทันที เจ้าหน้าที่จะติดต่อกลับ ข้อมูลติดต่อเปิดเผยเมื่อทั้งสองฝ่ายยินยอมเท่านั้น</p></section>
    <section class="card"><h2>話す · พูดคุย · Talk</h2><p>Chat in Japanese, Thai or English; a staff coordinator can join whenever you ask.</p></section>
  </div>
  <div class="try">
    <strong>右下のボタンからお試しください · ลองได้จากปุ่มมุมขวาล่าง · Try the chat button at the bottom right</strong>
    <q>タイで自動車部品のOEMメーカーを探しています</q>
    <q>หาผู้ผลิตเครื่องจักรแปรรูปอาหารจากญี่ปุ่น</q>
    <q>Thai distributor for Japanese cosmetics</q>
  </div>
  <footer>Embed on your site: <code>&lt;script src="https://&lt;kakehashi-host&gt;/widget.js" data-lang="ja" async&gt;&lt;/script&gt;</code></footer>
</div></main>
<script src="/widget.js" async></script>
</body>
</html>
`;
}
