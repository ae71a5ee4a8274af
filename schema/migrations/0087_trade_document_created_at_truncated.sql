UPDATE trade_document SET created_at = date_trunc('millisecond', created_at) WHERE created_at <> date_trunc('millisecond', created_at)
