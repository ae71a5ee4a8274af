GRANT UPDATE (financing_id) ON receivable TO tradeproof_app
