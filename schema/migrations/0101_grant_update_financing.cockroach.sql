GRANT UPDATE ON financing TO tradeproof_app
