CREATE TABLE venues (
	id VARCHAR(64) NOT NULL, 
	name_en VARCHAR(200) NOT NULL, 
	name_zh VARCHAR(200) NOT NULL, 
	address VARCHAR(500) NOT NULL, 
	owner_department VARCHAR(200) NOT NULL, 
	concurrent BOOLEAN NOT NULL, 
	booking_seq INTEGER NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE trial_match_decisions (
	match_id VARCHAR(64) NOT NULL, 
	decision VARCHAR(16) NOT NULL, 
	wish JSON NOT NULL, 
	solution JSON NOT NULL, 
	decided_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	event_id VARCHAR(64) NOT NULL, 
	PRIMARY KEY (match_id)
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

CREATE TABLE trials (
	id VARCHAR(64) NOT NULL, 
	match_id VARCHAR(64) NOT NULL, 
	venue_id VARCHAR(64) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	planned_start TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	planned_end TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	actual_start TIMESTAMP WITHOUT TIME ZONE, 
	ended_at TIMESTAMP WITHOUT TIME ZONE, 
	kpis JSON NOT NULL, 
	parties JSON NOT NULL, 
	summary TEXT, 
	termination_reason TEXT, 
	results JSON, 
	verdict VARCHAR(20), 
	opened_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	version INTEGER NOT NULL, 
	measurement_count INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(venue_id) REFERENCES venues (id)
);

CREATE INDEX ix_trials_state ON trials (state);

CREATE INDEX ix_trials_match_id ON trials (match_id);

CREATE INDEX ix_trials_booking ON trials (venue_id, state, planned_start, planned_end);

CREATE TABLE trial_transitions (
	id SERIAL NOT NULL, 
	trial_id VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	from_state VARCHAR(16), 
	to_state VARCHAR(16) NOT NULL, 
	by_org VARCHAR(200) NOT NULL, 
	by_role VARCHAR(16) NOT NULL, 
	at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_trial_transition_seq UNIQUE (trial_id, seq), 
	FOREIGN KEY(trial_id) REFERENCES trials (id)
);

CREATE INDEX ix_trial_transitions_trial_id ON trial_transitions (trial_id);

CREATE TABLE trial_amendments (
	id SERIAL NOT NULL, 
	trial_id VARCHAR(64) NOT NULL, 
	seq INTEGER NOT NULL, 
	by_org VARCHAR(200) NOT NULL, 
	by_role VARCHAR(16) NOT NULL, 
	at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	reason TEXT NOT NULL, 
	changes JSON NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_trial_amendment_seq UNIQUE (trial_id, seq), 
	FOREIGN KEY(trial_id) REFERENCES trials (id)
);

CREATE INDEX ix_trial_amendments_trial_id ON trial_amendments (trial_id);

CREATE TABLE trial_measurements (
	id SERIAL NOT NULL, 
	trial_id VARCHAR(64) NOT NULL, 
	kpi VARCHAR(120) NOT NULL, 
	value FLOAT(53) NOT NULL, 
	measured_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	by_org VARCHAR(200) NOT NULL, 
	by_role VARCHAR(16) NOT NULL, 
	recorded_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(trial_id) REFERENCES trials (id)
);

CREATE INDEX ix_trial_measurements_series ON trial_measurements (trial_id, kpi, measured_at);

CREATE TABLE trial_reports (
	id VARCHAR(80) NOT NULL, 
	trial_id VARCHAR(64) NOT NULL, 
	version INTEGER NOT NULL, 
	verdict VARCHAR(20) NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	content TEXT NOT NULL, 
	html TEXT NOT NULL, 
	pdf BYTEA, 
	published_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_trial_report_version UNIQUE (trial_id, version), 
	FOREIGN KEY(trial_id) REFERENCES trials (id)
);

CREATE INDEX ix_trial_reports_trial_id ON trial_reports (trial_id);

CREATE INDEX ix_trial_reports_published_at ON trial_reports (published_at);
