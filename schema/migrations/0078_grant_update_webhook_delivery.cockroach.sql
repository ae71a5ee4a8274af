GRANT UPDATE ON webhook_delivery TO tradeproof_app
