package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

type personRow struct {
	SlackID        string         `db:"slack_id"`
	Name           string         `db:"name"`
	RealName       string         `db:"real_name"`
	Email          string         `db:"email"`
	TZ             string         `db:"tz"`
	Locale         string         `db:"locale"`
	LocaleOverride sql.NullString `db:"locale_override"`
	Role           string         `db:"role"`
	TeamID         sql.NullInt64  `db:"team_id"`
	CreatedAt      time.Time      `db:"created_at"`
	UpdatedAt      time.Time      `db:"updated_at"`
}

const personColumns = `slack_id, name, real_name, email, tz, locale, locale_override, role, team_id, created_at, updated_at`

func (r personRow) person() followup.Person {
	p := followup.Person{
		SlackID: r.SlackID, Name: r.Name, RealName: r.RealName, Email: r.Email, TZ: r.TZ, Locale: r.Locale,
		Role: followup.Role(r.Role), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.LocaleOverride.Valid {
		p.Locale = r.LocaleOverride.String
	}
	if r.TeamID.Valid {
		id := r.TeamID.Int64
		p.TeamID = &id
	}
	return p
}

const upsertPersonSQL = `
INSERT INTO people (slack_id, name, real_name, tz, locale, role, created_at, updated_at, email)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
ON CONFLICT (slack_id) DO UPDATE SET
    name = EXCLUDED.name, real_name = EXCLUDED.real_name, tz = EXCLUDED.tz, locale = EXCLUDED.locale,
    -- Slack shows the email only with users:read.email: without it, keep what is known
    email = COALESCE(NULLIF(EXCLUDED.email, ''), people.email),
    -- a bootstrap admin stays admin; otherwise the role admins gave in Slack is kept
    role = CASE WHEN EXCLUDED.role = 'admin' THEN 'admin' ELSE people.role END,
    updated_at = EXCLUDED.updated_at
RETURNING ` + personColumns

// SavePerson registers a Slack user or refreshes their name, time zone and locale from
// Slack. The role is only ever raised to admin here (for ADMIN_SLACK_IDS).
func (db *DB) SavePerson(ctx context.Context, p followup.Person) (followup.Person, error) {
	var row personRow
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		if p.Role == "" {
			p.Role = followup.RoleRep
		}
		return tx.GetContext(ctx, &row, upsertPersonSQL, p.SlackID, p.Name, p.RealName, p.TZ, p.Locale, p.Role, now, p.Email)
	})
	return row.person(), err
}

const findPersonSQL = `SELECT ` + personColumns + ` FROM people WHERE slack_id = $1`

// FindPerson returns the person with the Slack id, or ENOTFOUND before their first use.
func (db *DB) FindPerson(ctx context.Context, slackID string) (followup.Person, error) {
	var row personRow
	if err := db.getPrepared(ctx, &row, findPersonSQL, slackID); err != nil {
		return followup.Person{}, err
	}
	return row.person(), nil
}

const findPeopleSQL = `SELECT ` + personColumns + ` FROM people ORDER BY slack_id`

// FindPeople returns everyone known to followup, for matching the owners a spreadsheet
// names and for naming people in an export.
func (db *DB) FindPeople(ctx context.Context) ([]followup.Person, error) {
	return findPeople(ctx, db.db)
}

func findPeople(ctx context.Context, q sqlx.QueryerContext) ([]followup.Person, error) {
	var rows []personRow
	if err := sqlx.SelectContext(ctx, q, &rows, findPeopleSQL); err != nil {
		return nil, fmt.Errorf("find people: %w", mapError(err))
	}
	out := make([]followup.Person, len(rows))
	for i, r := range rows {
		out[i] = r.person()
	}
	return out, nil
}

const setLocaleSQL = `UPDATE people SET locale_override = NULLIF($2, ''), updated_at = $3 WHERE slack_id = $1`

// SetLocale makes the person read followup in locale whatever Slack says; "" goes back to
// their Slack locale.
func (db *DB) SetLocale(ctx context.Context, slackID, locale string) error {
	return db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		_, err := tx.ExecContext(ctx, setLocaleSQL, slackID, locale, now)
		return err
	})
}
