-- The network a web session that asked for an introduction was opened from (a keyed hash, never the address):
-- every new web session is a new chat user, so the per-user daily limit alone let one sender reach a firm from
-- as many anonymous sessions as it cared to open. Counted over the last 24 hours of sent requests.
ALTER TABLE introductions ADD COLUMN requester_network text;
CREATE INDEX introductions_network_idx ON introductions (requester_network, sent_at)
  WHERE requester_network IS NOT NULL;
