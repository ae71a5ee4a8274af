GRANT UPDATE (financed_minor) ON financed_root TO tradeproof_app
