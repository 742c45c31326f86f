CREATE TABLE accounts (
	id VARCHAR(40) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	org VARCHAR(100) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	admin BOOLEAN NOT NULL, 
	status VARCHAR(12) NOT NULL, 
	language VARCHAR(5) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	created_by VARCHAR(254) NOT NULL, 
	withdrawn_at TIMESTAMP WITHOUT TIME ZONE, 
	withdrawn_by VARCHAR(254), 
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_accounts_email ON accounts (email);

CREATE TABLE sign_in_links (
	token_digest VARCHAR(64) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	purpose VARCHAR(10) NOT NULL, 
	org VARCHAR(100) NOT NULL, 
	language VARCHAR(5) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	expires_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	used_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (token_digest)
);

CREATE INDEX ix_sign_in_links_email ON sign_in_links (email);

CREATE TABLE browser_sessions (
	id_digest VARCHAR(64) NOT NULL, 
	account_id VARCHAR(40) NOT NULL, 
	created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	expires_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	ended_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (id_digest)
);

CREATE INDEX ix_browser_sessions_account_id ON browser_sessions (account_id);

CREATE TABLE sign_in_requests (
	id SERIAL NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	client VARCHAR(64) NOT NULL, 
	at TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_sign_in_requests_client ON sign_in_requests (client);

CREATE INDEX ix_sign_in_requests_at ON sign_in_requests (at);

CREATE INDEX ix_sign_in_requests_email ON sign_in_requests (email);

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
