import { PageHeader } from '../components';
import { t } from '../i18n';

/**
 * Conversations and introductions arrive with the chat and relay features. Until their APIs exist this page
 * says so plainly; it never shows invented data.
 */
export function ChatPlaceholderPage({ kind }: { kind: 'conversations' | 'introductions' }) {
  return (
    <>
      <PageHeader title={t(kind === 'conversations' ? 'nav.conversations' : 'nav.introductions')} />
      <div class="placeholder" data-testid="chat-placeholder">
        <p>{t('arrivesWith')}</p>
      </div>
    </>
  );
}
