/**
 * Fonts that cover Thai and Japanese on every common system (the browser falls back glyph by glyph): the system UI
 * font, then Thai (Noto, Windows' Leelawadee UI and Tahoma, Apple's Thonburi), then Japanese (Noto, Apple's
 * Hiragino, Windows' Yu Gothic and Meiryo). Without them a machine lacking a default CJK or Thai font shows boxes.
 */
export const FONT_STACK =
  'system-ui, -apple-system, "Segoe UI", "Noto Sans Thai", "Noto Sans Thai UI", "Leelawadee UI", Tahoma, Thonburi, ' +
  '"Noto Sans JP", "Noto Sans CJK JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", ' +
  'Meiryo, sans-serif';

/** The widget's CSS, applied inside its shadow root so the host page and the widget never style each other. */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.kk { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; font: 14px/1.5 ${FONT_STACK}; color: #1d2433; }
.bubble { width: 60px; height: 60px; border-radius: 50%; border: 0; cursor: pointer; background: #c8102e; color: #fff; box-shadow: 0 6px 20px rgba(200,16,46,.35); display: grid; place-items: center; transition: transform .15s; }
.bubble:hover { transform: scale(1.05); }
.bubble:focus-visible, button:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid #2f6fed; outline-offset: 2px; }
.bubble svg { width: 28px; height: 28px; }
.panel { position: absolute; right: 0; bottom: 76px; width: min(400px, calc(100vw - 24px)); height: min(620px, calc(100vh - 110px)); background: #fff; border-radius: 16px; box-shadow: 0 12px 48px rgba(29,36,51,.25); display: flex; flex-direction: column; overflow: hidden; }
.panel[hidden] { display: none; }
.head { background: linear-gradient(135deg,#1d2433,#33405e); color: #fff; padding: 14px 16px; display: flex; align-items: center; gap: 10px; }
.head .t { flex: 1; min-width: 0; }
.head strong { display: block; font-size: 16px; }
.head small { opacity: .8; font-size: 12px; }
.head select { background: rgba(255,255,255,.12); color: #fff; border: 1px solid rgba(255,255,255,.3); border-radius: 8px; padding: 4px 6px; font: inherit; font-size: 12px; }
.head select option { color: #1d2433; }
.x { background: transparent; border: 0; color: #fff; font-size: 22px; line-height: 1; cursor: pointer; padding: 4px 8px; border-radius: 8px; }
.status { font-size: 12px; padding: 4px 16px; background: #fff6e0; color: #7a5a00; }
.status[hidden] { display: none; }
.log { flex: 1; overflow-y: auto; padding: 14px 12px; background: #f6f7f9; display: flex; flex-direction: column; gap: 10px; }
.log > * { flex-shrink: 0; }
.msg { max-width: 86%; padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; word-wrap: break-word; }
.msg.bot { background: #fff; border: 1px solid #e4e7ec; border-bottom-left-radius: 4px; align-self: flex-start; }
.msg.user { background: #1d2433; color: #fff; border-bottom-right-radius: 4px; align-self: flex-end; }
.msg.err { background: #fdecee; color: #8a1020; align-self: center; font-size: 12px; }
.msg.room { background: #eef4ff; border: 1px solid #d4e0f7; border-bottom-left-radius: 4px; align-self: flex-start; display: flex; flex-direction: column; gap: 4px; }
.msg.room .from { font-size: 11px; font-weight: 600; color: #33405e; }
.msg.room .note { font-size: 11px; color: #7a5a00; }
.msg.room img { max-width: 100%; max-height: 220px; border-radius: 10px; display: block; }
.msg.room a.file { font-size: 12.5px; color: #1d4fb8; }
.msg.room button.orig { align-self: flex-start; font: inherit; font-size: 11.5px; background: transparent; border: 0; color: #1d4fb8; padding: 0; cursor: pointer; text-decoration: underline; }
.msg.notice { align-self: center; max-width: 92%; background: transparent; color: #5b6578; font-size: 12px; text-align: center; padding: 2px 8px; }
.compose button.attach { background: #fff; color: #1d2433; border: 1px solid #c9ced8; padding: 0 10px; font-size: 16px; }
.compose button[hidden] { display: none; }
.cards { display: flex; gap: 10px; overflow-x: auto; padding: 2px 2px 8px; scroll-snap-type: x mandatory; align-self: stretch; }
.card { flex: 0 0 236px; scroll-snap-align: start; background: #fff; border: 1px solid #e4e7ec; border-radius: 14px; padding: 12px; display: flex; flex-direction: column; gap: 6px; }
.card h3 { margin: 0; font-size: 14px; line-height: 1.35; }
.card .flag { align-self: flex-start; font-size: 11px; font-weight: 600; color: #fff; background: #c8102e; border-radius: 999px; padding: 1px 8px; }
.card[data-country=JP] .flag { background: #1d2433; }
.card .sub { font-size: 12px; color: #5b6578; }
.card p { margin: 0; font-size: 12.5px; color: #333c4e; flex: 1; display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; overflow: hidden; }
.card .btns { display: flex; flex-direction: column; gap: 6px; margin-top: 4px; }
.card button, .card a { font: inherit; font-size: 12.5px; border-radius: 8px; padding: 6px 8px; cursor: pointer; text-align: center; text-decoration: none; }
.card button.primary { background: #c8102e; color: #fff; border: 0; }
.card button.secondary, .card a { background: #fff; color: #1d2433; border: 1px solid #c9ced8; }
.quick { display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 12px 0; background: #fff; }
.quick:empty { display: none; }
.quick button { font: inherit; font-size: 12.5px; border: 1px solid #c8102e; color: #c8102e; background: #fff; border-radius: 999px; padding: 4px 11px; cursor: pointer; }
.quick button:hover { background: #fff1f3; }
.typing { align-self: flex-start; color: #5b6578; font-size: 12px; padding: 0 6px; }
.typing[hidden] { display: none; }
.compose { display: flex; gap: 8px; padding: 10px 12px 12px; background: #fff; border-top: 1px solid #eef0f4; align-items: flex-end; }
.compose textarea { flex: 1; resize: none; border: 1px solid #c9ced8; border-radius: 12px; padding: 8px 10px; font: inherit; max-height: 120px; min-height: 40px; }
.compose button { border: 0; background: #c8102e; color: #fff; border-radius: 12px; padding: 0 14px; height: 40px; font: inherit; font-weight: 600; cursor: pointer; }
.compose button:disabled { opacity: .5; cursor: default; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (prefers-reduced-motion: reduce) { .bubble { transition: none; } }
`;
