-- The wallet commits a batch as one statement; this lets that statement abort itself
-- (rolling everything back) when a stored balance is not what the writer expected.
CREATE OR REPLACE FUNCTION wallet_abort(message text) RETURNS text
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION '%', message USING ERRCODE = 'P0001';
END
$$;
