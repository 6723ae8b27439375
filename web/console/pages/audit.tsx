import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, PageHeader, useLoad } from '../components';
import { type MessageKey, hasMessage, t } from '../i18n';
import { can, useStaff } from '../session';
import { type AuditRecord, AuditRows } from './profile-history';

export function AuditPage() {
  const staff = useStaff();
  const [entityType, setEntityType] = useState('');
  const [actor, setActor] = useState('');
  const [more, setMore] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const query = (before?: number) => {
    const p = new URLSearchParams({ limit: '50' });
    if (entityType) p.set('entityType', entityType);
    if (actor.trim()) p.set('actor', actor.trim());
    if (before) p.set('before', String(before));
    return `/api/console/audit?${p}`;
  };
  const page = useLoad(async () => {
    const data = (await api<{ items: AuditRecord[]; next: number | null }>('GET', query())).data;
    setMore([]);
    setNext(data.next);
    return data.items;
  }, [entityType, actor]);

  const loadMore = async () => {
    if (!next) return;
    const data = (await api<{ items: AuditRecord[]; next: number | null }>('GET', query(next))).data;
    setMore((m) => [...m, ...data.items]);
    setNext(data.next);
  };

  const types = [
    'company',
    'glossary',
    'conversation',
    'chat_user',
    'introduction',
    'room',
    'registration',
    ...(can(staff, 'admin') ? ['staff', 'api_token'] : []),
  ];
  return (
    <>
      <PageHeader title={t('nav.audit')} />
      <div class="filters">
        <select
          aria-label={t('entityType')}
          value={entityType}
          onChange={(e) => setEntityType((e.target as HTMLSelectElement).value)}
        >
          <option value="">
            {t('entityType')}: {t('all')}
          </option>
          {types.map((x) => (
            <option key={x} value={x}>
              {hasMessage(`audit.type.${x}`) ? t(`audit.type.${x}` as MessageKey) : x}
            </option>
          ))}
        </select>
        <input
          placeholder={t('actor')}
          aria-label={t('actor')}
          value={actor}
          onChange={(e) => setActor((e.target as HTMLInputElement).value)}
        />
      </div>
      <ErrorBox error={page.error} onRetry={page.reload} />
      {page.data && <AuditRows items={[...page.data, ...more]} showEntity />}
      {next && (
        <button class="btn" onClick={() => void loadMore()}>
          {t('loadMore')}
        </button>
      )}
    </>
  );
}
