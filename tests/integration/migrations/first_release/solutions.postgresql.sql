CREATE TABLE solutions (
	title_en VARCHAR(200), 
	title_zh VARCHAR(200), 
	description_en TEXT, 
	description_zh TEXT, 
	contact_email VARCHAR(254) NOT NULL, 
	categories_csv VARCHAR(400) NOT NULL, 
	owner_org VARCHAR(100) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	id VARCHAR(40) NOT NULL, 
	trl INTEGER NOT NULL, 
	website VARCHAR(500), 
	wish_id VARCHAR(40), 
	PRIMARY KEY (id)
);

CREATE INDEX ix_solutions_owner_org ON solutions (owner_org);

CREATE INDEX ix_solutions_trl ON solutions (trl);

CREATE INDEX ix_solutions_created_at ON solutions (created_at);

CREATE INDEX ix_solutions_wish_id ON solutions (wish_id);

CREATE TABLE known_wishes (
	id VARCHAR(40) NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE solution_accepted_parties (
	record_id VARCHAR(40) NOT NULL, 
	match_id VARCHAR(40) NOT NULL, 
	org VARCHAR(100) NOT NULL, 
	accepted_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (record_id, match_id)
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

CREATE TABLE solution_terms (
	term VARCHAR(64) NOT NULL, 
	weight FLOAT NOT NULL, 
	record_id VARCHAR(40) NOT NULL, 
	PRIMARY KEY (term, record_id), 
	FOREIGN KEY(record_id) REFERENCES solutions (id)
);

CREATE INDEX ix_solution_terms_term ON solution_terms (term);
