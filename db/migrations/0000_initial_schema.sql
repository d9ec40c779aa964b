CREATE TABLE "notebook_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"notebook_id" text NOT NULL,
	"version" integer NOT NULL,
	"source" text NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notebooks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"latest_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"notebook_id" text NOT NULL,
	"notebook_version_id" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"launched_by" text,
	"parent_run_id" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cell_attempts" (
	"run_id" text NOT NULL,
	"cell_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"error_type" text,
	"worker_identity" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "cell_attempts_pk" PRIMARY KEY("run_id","cell_id","attempt")
);
--> statement-breakpoint
CREATE TABLE "cell_outputs" (
	"run_id" text NOT NULL,
	"cell_id" text NOT NULL,
	"seq" integer NOT NULL,
	"data" jsonb NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cell_outputs_pk" PRIMARY KEY("run_id","cell_id","seq")
);
--> statement-breakpoint
CREATE TABLE "run_cells" (
	"run_id" text NOT NULL,
	"cell_id" text NOT NULL,
	"kind" text NOT NULL,
	"queue" text NOT NULL,
	"position" integer NOT NULL,
	"status" text NOT NULL,
	"attempt" integer DEFAULT 0 NOT NULL,
	"input_hash" text,
	"error" text,
	"progress" jsonb,
	"result" jsonb,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_cells_pk" PRIMARY KEY("run_id","cell_id")
);
--> statement-breakpoint
CREATE TABLE "dataset_rejects" (
	"dataset_id" text NOT NULL,
	"line" integer NOT NULL,
	"reason" text NOT NULL,
	"raw" text,
	CONSTRAINT "dataset_rejects_pk" PRIMARY KEY("dataset_id","line")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"table_name" text NOT NULL,
	"run_id" text NOT NULL,
	"cell_id" text NOT NULL,
	"row_count" bigint NOT NULL,
	"reject_count" bigint DEFAULT 0 NOT NULL,
	"columns" jsonb NOT NULL,
	"source" text NOT NULL,
	"content_hash" text,
	"profile" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notebook_versions" ADD CONSTRAINT "notebook_versions_notebook_id_notebooks_id_fk" FOREIGN KEY ("notebook_id") REFERENCES "public"."notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_notebook_id_notebooks_id_fk" FOREIGN KEY ("notebook_id") REFERENCES "public"."notebooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_notebook_version_id_notebook_versions_id_fk" FOREIGN KEY ("notebook_version_id") REFERENCES "public"."notebook_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_attempts" ADD CONSTRAINT "cell_attempts_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cell_outputs" ADD CONSTRAINT "cell_outputs_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_cells" ADD CONSTRAINT "run_cells_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_rejects" ADD CONSTRAINT "dataset_rejects_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notebook_versions_notebook_id_version_idx" ON "notebook_versions" USING btree ("notebook_id","version");--> statement-breakpoint
CREATE INDEX "notebook_versions_content_hash_idx" ON "notebook_versions" USING btree ("notebook_id","content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "notebooks_name_idx" ON "notebooks" USING btree ("name");--> statement-breakpoint
CREATE INDEX "runs_notebook_id_idx" ON "runs" USING btree ("notebook_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "runs_created_at_idx" ON "runs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_run_id_cell_id_idx" ON "datasets" USING btree ("run_id","cell_id");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_table_name_idx" ON "datasets" USING btree ("table_name");--> statement-breakpoint
CREATE INDEX "datasets_name_idx" ON "datasets" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_token_hash_idx" ON "api_tokens" USING btree ("token_hash");