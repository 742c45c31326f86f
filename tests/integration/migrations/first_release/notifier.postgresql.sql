CREATE TABLE subscription (
	id VARCHAR(40) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	email_key VARCHAR(254) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	frequency VARCHAR(8) NOT NULL, 
	receive_reports BOOLEAN NOT NULL, 
	categories JSON NOT NULL, 
	keywords JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	confirmed_at TIMESTAMP WITHOUT TIME ZONE, 
	ended_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_subscription_reports ON subscription (receive_reports, status, id);

CREATE INDEX ix_subscription_email_key ON subscription (email_key);

CREATE TABLE notification_item (
	key VARCHAR(120) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	context JSON NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	closed_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (key)
);

CREATE TABLE fanout_job (
	key VARCHAR(160) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	item_key VARCHAR(120) NOT NULL, 
	payload JSON NOT NULL, 
	cursor VARCHAR(40) NOT NULL, 
	emails INTEGER NOT NULL, 
	digest_entries INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	done_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (key)
);

CREATE INDEX ix_fanout_job_open ON fanout_job (done_at, created_at);

CREATE TABLE digest_entry (
	subscription_id VARCHAR(40) NOT NULL, 
	item_key VARCHAR(120) NOT NULL, 
	reasons JSON NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	digest_ref VARCHAR(60), 
	PRIMARY KEY (subscription_id, item_key)
);

CREATE INDEX ix_digest_entry_open ON digest_entry (subscription_id, created_at) WHERE digest_ref IS NULL;

CREATE TABLE email_outbox (
	id SERIAL NOT NULL, 
	recipient VARCHAR(254) NOT NULL, 
	recipient_key VARCHAR(254) NOT NULL, 
	ref VARCHAR(160) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	subscription_id VARCHAR(40), 
	item_key VARCHAR(120), 
	context JSON NOT NULL, 
	message_id VARCHAR(200) NOT NULL, 
	state VARCHAR(12) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	claim VARCHAR(40), 
	claimed_at TIMESTAMP WITHOUT TIME ZONE, 
	sent_at TIMESTAMP WITHOUT TIME ZONE, 
	last_error VARCHAR(500), 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_email_outbox_key UNIQUE (recipient_key, ref, kind)
);

CREATE INDEX ix_email_outbox_due ON email_outbox (state, next_attempt_at);

CREATE INDEX ix_email_outbox_sub ON email_outbox (subscription_id, state);

CREATE TABLE email_suppression (
	email_key VARCHAR(254) NOT NULL, 
	reason VARCHAR(20) NOT NULL, 
	detail VARCHAR(500), 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (email_key)
);

CREATE TABLE outbox (
	id SERIAL NOT NULL, 
	event_id VARCHAR(64) NOT NULL, 
	subject VARCHAR(200) NOT NULL, 
	payload TEXT NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	published_at TIMESTAMP WITHOUT TIME ZONE, 
	attempts INTEGER NOT NULL, 
	last_error VARCHAR(500), 
	PRIMARY KEY (id), 
	UNIQUE (event_id)
);

CREATE INDEX ix_outbox_published_at ON outbox (published_at);

CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE processed_events (
	consumer VARCHAR(120) NOT NULL, 
	event_id VARCHAR(64) NOT NULL, 
	processed_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (consumer, event_id)
);

CREATE TABLE subscription_category (
	category VARCHAR(40) NOT NULL, 
	subscription_id VARCHAR(40) NOT NULL, 
	PRIMARY KEY (category, subscription_id), 
	FOREIGN KEY(subscription_id) REFERENCES subscription (id)
);

CREATE INDEX ix_subscription_category_sub ON subscription_category (subscription_id);

CREATE TABLE subscription_term (
	term VARCHAR(80) NOT NULL, 
	subscription_id VARCHAR(40) NOT NULL, 
	keyword VARCHAR(80) NOT NULL, 
	units VARCHAR(400) NOT NULL, 
	PRIMARY KEY (term, subscription_id, keyword), 
	FOREIGN KEY(subscription_id) REFERENCES subscription (id)
);

CREATE INDEX ix_subscription_term_sub ON subscription_term (subscription_id);
