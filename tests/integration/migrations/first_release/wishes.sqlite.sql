CREATE TABLE wishes (
	title_en VARCHAR(200), 
	title_zh VARCHAR(200), 
	description_en TEXT, 
	description_zh TEXT, 
	contact_email VARCHAR(254) NOT NULL, 
	categories_csv VARCHAR(400) NOT NULL, 
	owner_org VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL, 
	id VARCHAR(40) NOT NULL, 
	budget_hkd BIGINT, 
	closes_on DATE, 
	venue_note TEXT, 
	status VARCHAR(10) NOT NULL, 
	closed_at DATETIME, 
	close_reason TEXT, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_wishes_owner_org ON wishes (owner_org);

CREATE INDEX ix_wishes_status_created ON wishes (status, created_at);

CREATE INDEX ix_wishes_created_at ON wishes (created_at);

CREATE TABLE wish_accepted_parties (
	record_id VARCHAR(40) NOT NULL, 
	match_id VARCHAR(40) NOT NULL, 
	org VARCHAR(100) NOT NULL, 
	accepted_at DATETIME NOT NULL, 
	PRIMARY KEY (record_id, match_id)
);

CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	event_id VARCHAR(64) NOT NULL, 
	subject VARCHAR(200) NOT NULL, 
	payload TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	published_at DATETIME, 
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
	processed_at DATETIME NOT NULL, 
	PRIMARY KEY (consumer, event_id)
);

CREATE TABLE wish_terms (
	term VARCHAR(64) NOT NULL, 
	weight FLOAT NOT NULL, 
	record_id VARCHAR(40) NOT NULL, 
	PRIMARY KEY (term, record_id), 
	FOREIGN KEY(record_id) REFERENCES wishes (id)
);

CREATE INDEX ix_wish_terms_term ON wish_terms (term);
