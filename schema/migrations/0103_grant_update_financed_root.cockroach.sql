GRANT UPDATE ON financed_root TO tradeproof_app
