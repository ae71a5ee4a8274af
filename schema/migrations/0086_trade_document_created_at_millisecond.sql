ALTER TABLE trade_document ALTER COLUMN created_at SET DEFAULT date_trunc('millisecond', now())
