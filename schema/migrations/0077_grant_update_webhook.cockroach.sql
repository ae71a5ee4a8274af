GRANT UPDATE ON webhook TO tradeproof_app
