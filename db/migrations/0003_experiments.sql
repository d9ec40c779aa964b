CREATE TABLE "customer_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"type" text NOT NULL,
	"value" double precision,
	"occurred_at" timestamp with time zone NOT NULL,
	"idempotency_key" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiment_arms" (
	"experiment_id" text NOT NULL,
	"name" text NOT NULL,
	"weight" double precision NOT NULL,
	"position" integer NOT NULL,
	"model_alias" text,
	"model_version_id" text,
	CONSTRAINT "experiment_arms_pk" PRIMARY KEY("experiment_id","name")
);
--> statement-breakpoint
CREATE TABLE "experiment_exposures" (
	"experiment_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"arm" text NOT NULL,
	"first_exposed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "experiment_exposures_pk" PRIMARY KEY("experiment_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "experiment_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"experiment_id" text NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"results" jsonb NOT NULL,
	"srm" jsonb NOT NULL,
	"decision" text
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"model_name" text,
	"salt" text NOT NULL,
	"status" text NOT NULL,
	"config" jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decision" text,
	"reason" text,
	"run_id" text,
	"cell_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "experiment_arms" ADD CONSTRAINT "experiment_arms_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_snapshots" ADD CONSTRAINT "experiment_snapshots_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_events_idempotency_key_idx" ON "customer_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "customer_events_customer_type_time_idx" ON "customer_events" USING btree ("customer_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "experiment_exposures_arm_idx" ON "experiment_exposures" USING btree ("experiment_id","arm");--> statement-breakpoint
CREATE UNIQUE INDEX "experiment_snapshots_as_of_idx" ON "experiment_snapshots" USING btree ("experiment_id","as_of");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_name_idx" ON "experiments" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "experiments_run_cell_idx" ON "experiments" USING btree ("run_id","cell_id");