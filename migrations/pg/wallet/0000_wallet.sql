CREATE TABLE "wallet_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" text NOT NULL,
	"type" text NOT NULL,
	"currency" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_accounts_holder_non_negative" CHECK ("wallet_accounts"."owner_kind" = 'brand' OR "wallet_accounts"."balance" >= 0),
	CONSTRAINT "wallet_accounts_type_fits_owner" CHECK (("wallet_accounts"."owner_kind" = 'player' AND "wallet_accounts"."type" IN ('cash', 'bonus', 'locked'))
        OR ("wallet_accounts"."owner_kind" = 'agent' AND "wallet_accounts"."type" = 'cash')
        OR ("wallet_accounts"."owner_kind" = 'brand' AND "wallet_accounts"."type" IN ('house', 'provider', 'clearing')))
);
--> statement-breakpoint
CREATE TABLE "wallet_epochs" (
	"brand_id" text PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	"holder" text NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_messages" (
	"brand_id" text NOT NULL,
	"message_id" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_messages_brand_id_message_id_pk" PRIMARY KEY("brand_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "wallet_postings" (
	"seq" bigserial NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"brand_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint NOT NULL,
	CONSTRAINT "wallet_postings_transaction_id_account_id_pk" PRIMARY KEY("transaction_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "wallet_requests" (
	"seq" bigserial NOT NULL,
	"brand_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"player_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"status" text NOT NULL,
	"details" jsonb,
	"request_transaction_id" uuid NOT NULL,
	"decision_transaction_id" uuid,
	"decided_by" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "wallet_requests_brand_id_id_pk" PRIMARY KEY("brand_id","id")
);
--> statement-breakpoint
CREATE TABLE "wallet_suspended_players" (
	"brand_id" text NOT NULL,
	"player_id" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_suspended_players_brand_id_player_id_pk" PRIMARY KEY("brand_id","player_id")
);
--> statement-breakpoint
CREATE TABLE "wallet_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"brand_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"refusal_code" text,
	"reply" jsonb NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"player_id" text,
	"round_id" text,
	"game_code" text,
	"game_category" text,
	"provider" text,
	"reference" text,
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "wallet_accounts" ADD CONSTRAINT "wallet_accounts_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_epochs" ADD CONSTRAINT "wallet_epochs_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_postings" ADD CONSTRAINT "wallet_postings_transaction_id_wallet_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."wallet_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_postings" ADD CONSTRAINT "wallet_postings_account_id_wallet_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."wallet_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_accounts_owner_type_uq" ON "wallet_accounts" USING btree ("brand_id","owner_kind","owner_id","type");--> statement-breakpoint
CREATE INDEX "wallet_messages_created_idx" ON "wallet_messages" USING brin ("created_at");--> statement-breakpoint
CREATE INDEX "wallet_postings_account_seq_idx" ON "wallet_postings" USING btree ("account_id","seq");--> statement-breakpoint
CREATE INDEX "wallet_requests_pending_idx" ON "wallet_requests" USING btree ("brand_id","kind","seq") WHERE "wallet_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_transactions_key_uq" ON "wallet_transactions" USING btree ("brand_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "wallet_transactions_reference_idx" ON "wallet_transactions" USING btree ("brand_id","reference") WHERE "wallet_transactions"."reference" is not null;