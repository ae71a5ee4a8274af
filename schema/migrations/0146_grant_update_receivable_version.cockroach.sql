GRANT UPDATE ON receivable TO tradeproof_app
