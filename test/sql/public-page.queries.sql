-- readOnlyTransaction
SET TRANSACTION READ ONLY;
