export type WidgetLang = 'ja' | 'th' | 'en';

export interface WidgetStrings {
  title: string;
  subtitle: string;
  open: string;
  close: string;
  placeholder: string;
  send: string;
  typing: string;
  connecting: string;
  reconnecting: string;
  offline: string;
  tooFast: string;
  failed: string;
  cards: string;
  /** The list holding a firm's own draft card (registration review). */
  preview: string;
  language: string;
  showOriginal: string;
  showTranslation: string;
  attach: string;
  download: string;
  country: { JP: string; TH: string };
}

export const STRINGS: Record<WidgetLang, WidgetStrings> = {
  ja: {
    title: 'Kakehashi',
    subtitle: '日本とタイの企業をつなぎます',
    open: 'チャットを開く',
    close: 'チャットを閉じる',
    placeholder: 'お探しのパートナーを入力…',
    send: '送信',
    typing: '入力中…',
    connecting: '接続しています…',
    reconnecting: '再接続しています…',
    offline: 'オフラインです。再接続を待っています。',
    tooFast: '送信が速すぎます。少し待ってからお試しください。',
    failed: '送信できませんでした。もう一度お試しください。',
    cards: '候補企業',
    preview: '表示イメージ',
    language: '言語',
    showOriginal: '原文を表示',
    showTranslation: '翻訳を表示',
    attach: 'ファイルを送る',
    download: 'ファイルを開く',
    country: { JP: '日本', TH: 'タイ' },
  },
  th: {
    title: 'Kakehashi',
    subtitle: 'เชื่อมธุรกิจไทยกับญี่ปุ่น',
    open: 'เปิดแชต',
    close: 'ปิดแชต',
    placeholder: 'พิมพ์พันธมิตรที่ต้องการ…',
    send: 'ส่ง',
    typing: 'กำลังพิมพ์…',
    connecting: 'กำลังเชื่อมต่อ…',
    reconnecting: 'กำลังเชื่อมต่อใหม่…',
    offline: 'ออฟไลน์ กำลังรอเชื่อมต่อใหม่',
    tooFast: 'ส่งเร็วเกินไป กรุณารอสักครู่แล้วลองใหม่',
    failed: 'ส่งไม่สำเร็จ กรุณาลองอีกครั้ง',
    cards: 'บริษัทที่แนะนำ',
    preview: 'ตัวอย่างการแสดงผล',
    language: 'ภาษา',
    showOriginal: 'ดูต้นฉบับ',
    showTranslation: 'ดูคำแปล',
    attach: 'ส่งไฟล์',
    download: 'เปิดไฟล์',
    country: { JP: 'ญี่ปุ่น', TH: 'ไทย' },
  },
  en: {
    title: 'Kakehashi',
    subtitle: 'Connecting Japanese and Thai companies',
    open: 'Open chat',
    close: 'Close chat',
    placeholder: 'Describe the partner you are looking for…',
    send: 'Send',
    typing: 'Typing…',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    offline: 'Offline. Waiting to reconnect.',
    tooFast: 'Sending too fast. Please wait a moment.',
    failed: 'Could not send. Please try again.',
    cards: 'Suggested companies',
    preview: 'Preview',
    language: 'Language',
    showOriginal: 'Show original',
    showTranslation: 'Show translation',
    attach: 'Send a file',
    download: 'Open the file',
    country: { JP: 'Japan', TH: 'Thailand' },
  },
};

export function pickLang(...candidates: Array<string | null | undefined>): WidgetLang {
  for (const c of candidates) {
    const short = (c ?? '').toLowerCase().slice(0, 2);
    if (short === 'ja' || short === 'th' || short === 'en') return short;
  }
  return 'en';
}
