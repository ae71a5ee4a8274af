GRANT SELECT, INSERT ON verification_report TO tradeproof_app
