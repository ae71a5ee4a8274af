GRANT SELECT, INSERT ON receivable_history TO tradeproof_app
