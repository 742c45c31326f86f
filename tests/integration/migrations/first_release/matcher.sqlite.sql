CREATE TABLE matcher_records (
	kind VARCHAR(10) NOT NULL, 
	id VARCHAR(40) NOT NULL, 
	payload TEXT NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (kind, id)
);

CREATE INDEX ix_matcher_records_updated_at ON matcher_records (updated_at);

CREATE TABLE matches (
	id VARCHAR(40) NOT NULL, 
	wish_id VARCHAR(40) NOT NULL, 
	solution_id VARCHAR(40) NOT NULL, 
	score FLOAT NOT NULL, 
	reasons_json TEXT NOT NULL, 
	wish_json TEXT NOT NULL, 
	solution_json TEXT NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	decided_by VARCHAR(100), 
	decision_reason TEXT, 
	decided_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_matches_pair UNIQUE (wish_id, solution_id)
);

CREATE INDEX ix_matches_wish_id ON matches (wish_id);

CREATE INDEX ix_matches_status ON matches (status);

CREATE INDEX ix_matches_solution_id ON matches (solution_id);

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
