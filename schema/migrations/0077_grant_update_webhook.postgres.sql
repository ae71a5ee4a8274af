GRANT UPDATE (removed_at) ON webhook TO tradeproof_app
