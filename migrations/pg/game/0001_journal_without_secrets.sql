-- the journal keeps no provider secret: outcomes that answered one read as the conflict a redelivery now answers
UPDATE "game_registry_journal"
   SET "outcome" = jsonb_build_object(
         'ok', false,
         'error', jsonb_build_object(
           'code', 'conflict',
           'message', 'this change was made by this message; its secret was answered once and is not kept: rotate the secret for a new one',
           'details', jsonb_build_object('provider', "outcome"->'value'->'provider')))
 WHERE "outcome"->>'ok' = 'true' AND "outcome"->'value' ? 'secret';
