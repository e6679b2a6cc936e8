// Package storage implements followup's persistence: Postgres (sqlx + lib/pq, embedded
// numbered migrations) for the records, Redis (go-redis) for conversation state, Slack retry
// de-duplication and locks. Driver errors are mapped onto the domain's error codes here, so
// no other package sees a SQL or Redis error type.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/pii"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded migration files, named NNNNN_description.sql.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}

// DB is followup's Postgres database.
type DB struct {
	db         *sqlx.DB
	now        func() time.Time
	claimLease time.Duration
	keys       *pii.Keyring // seals and opens personal data; see WithKeyring

	mu    sync.Mutex
	stmts map[string]*sqlx.Stmt // prepared on first use; see stmt

	grouper *grouper // commits concurrent follow-ups together; see batch.go
}

// Option configures a DB.
type Option func(*DB)

// WithClock sets the clock used for every timestamp the application writes, so tests can
// pin time instead of sleeping.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// WithClaimLease sets how long a claimed reminder stays its sender's before another may
// take it over (DefaultClaimLease unless set).
func WithClaimLease(d time.Duration) Option { return func(db *DB) { db.claimLease = d } }

// Open connects to Postgres and checks that it answers.
//
// Statements with parameters go out in lib/pq's binary_parameters mode: Parse, Bind and
// Execute in one write, one round trip, where lib/pq otherwise waits for the Parse before
// it binds. Round trips are what a quick log costs most (BENCHMARKS.md).
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cfg.BinaryParameters = true
	connector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	sdb := sqlx.NewDb(sql.OpenDB(connector), "postgres")
	db := &DB{db: sdb, now: time.Now, claimLease: DefaultClaimLease, stmts: map[string]*sqlx.Stmt{}}
	for _, o := range opts {
		o(db)
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connect to postgres: %w", mapError(err))
	}
	db.grouper = newGrouper(db)
	return db, nil
}

// stmt returns query prepared, preparing it on first use (after the migrations, which
// the tables it names may need). The hot paths (a quick log, the typeahead, the Home tab)
// run prepared: Postgres then neither parses nor plans them again, and planning their
// joins costs more than running them. database/sql prepares a statement afresh on each
// pooled connection it lands on, and again after a reconnect.
func (db *DB) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if st, ok := db.stmts[query]; ok {
		return st, nil
	}
	st, err := db.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, mapError(err)
	}
	db.stmts[query] = st
	return st, nil
}

// getPrepared runs a prepared query that returns one row into dest.
func (db *DB) getPrepared(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return err
	}
	return mapError(st.GetContext(ctx, dest, args...))
}

// selectPrepared runs a prepared query that returns rows into dest, a pointer to a slice.
func (db *DB) selectPrepared(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return err
	}
	return mapError(st.SelectContext(ctx, dest, args...))
}

// selectAll runs a query that returns rows of R and converts each into a T: the read side
// of most finders.
func selectAll[R, T any](ctx context.Context, db *DB, conv func(R) T, query string, args ...any) ([]T, error) {
	var rows []R
	if err := db.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, mapError(err)
	}
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = conv(r)
	}
	return out, nil
}

// SetPool sizes the connection pool: at most maxConns connections, all of which may stay
// open while idle (closed after five idle minutes). An idle limit below the open limit
// makes a busy replica close and reopen connections all the time, and each new
// connection costs Postgres a process, a cold catalog cache and its prepared statements.
func (db *DB) SetPool(maxConns int) {
	db.db.SetMaxOpenConns(maxConns)
	db.db.SetMaxIdleConns(maxConns)
	db.db.SetConnMaxIdleTime(5 * time.Minute)
}

// Close closes the prepared statements and the pool.
func (db *DB) Close() error {
	db.grouper.close()
	db.mu.Lock()
	for q, st := range db.stmts {
		st.Close()
		delete(db.stmts, q)
	}
	db.mu.Unlock()
	return db.db.Close()
}

// SQLX exposes the pool for tests and tools that need raw SQL.
func (db *DB) SQLX() *sqlx.DB { return db.db }

// Ping reports whether Postgres answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error { return mapError(db.db.PingContext(ctx)) }

// Migrate applies every pending migration. A Postgres advisory lock serialises replicas that
// start at the same time, so each migration runs once.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// CheckSchema returns an error when the database is behind the migrations this binary
// embeds, so a web-only replica refuses to run against an old schema.
func (db *DB) CheckSchema(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check schema: %w", err)
	}
	if pending {
		return followup.Errorf(followup.EUNAVAILABLE, "the database schema is older than this binary: run `followup migrate`")
	}
	return nil
}

func (db *DB) migrator() (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.db.DB, Migrations(),
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// inTx runs fn in one transaction with one `now` for everything it writes, committing when
// fn returns nil. Every public write method goes through it.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx, now time.Time) error) error {
	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return mapError(err)
	}
	defer tx.Rollback()
	if err := fn(tx, db.now()); err != nil {
		return mapError(err)
	}
	return mapError(tx.Commit())
}

// mapError turns driver errors into domain errors, keeping the original in the chain for logs.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var fe *followup.Error
	var fields followup.FieldErrors
	if errors.As(err, &fe) || errors.As(err, &fields) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", followup.Errorf(followup.ENOTFOUND, "Not found."), err)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		case "23":
			if pqErr.Code == "23505" {
				return fmt.Errorf("%w: %w", followup.Errorf(followup.ECONFLICT, "That value is already taken."), err)
			}
			return fmt.Errorf("%w: %w", followup.Errorf(followup.EINVALID, "That value is not allowed."), err)
		case "08", "53", "57": // connection, resources, operator intervention (shutdown)
			return fmt.Errorf("%w: %w", unavailable(), err)
		}
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || isNetError(err) {
		return fmt.Errorf("%w: %w", unavailable(), err)
	}
	return err
}

func unavailable() *followup.Error {
	return followup.Errorf(followup.EUNAVAILABLE, "The database is not answering right now.")
}
