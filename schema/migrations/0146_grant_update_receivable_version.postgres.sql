GRANT UPDATE (version) ON receivable TO tradeproof_app
