package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

const upsertTeamSQL = `
INSERT INTO teams (name, manager_id, calendar, work_hours, work_days, created_at)
VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''), NULLIF($5, ''), $6)
ON CONFLICT (name) DO UPDATE SET manager_id = EXCLUDED.manager_id, calendar = EXCLUDED.calendar,
    work_hours = EXCLUDED.work_hours, work_days = EXCLUDED.work_days
RETURNING id`

// A manager keeps an admin role; anyone else who leads a team becomes a manager.
const promoteManagerSQL = `UPDATE people SET role = 'manager', updated_at = $2 WHERE slack_id = $1 AND role = 'rep'`

const setMembersSQL = `UPDATE people SET team_id = $1, updated_at = $3 WHERE slack_id = ANY($2)`

const upsertCadenceSQL = `
INSERT INTO tier_cadences (team_id, tier, every_days) VALUES ($1, $2, $3)
ON CONFLICT (team_id, tier) DO UPDATE SET every_days = EXCLUDED.every_days`

const deleteCadenceSQL = `DELETE FROM tier_cadences WHERE team_id = $1 AND NOT (tier = ANY($2))`

// SaveTeam creates or updates the team named in s, with its manager, members, calendar,
// working hours and cadences, in one transaction. Every person must be registered.
func (db *DB) SaveTeam(ctx context.Context, s followup.TeamSettings, by string) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		if err := tx.GetContext(ctx, &id, upsertTeamSQL, s.Name, s.ManagerID, s.Calendar, s.WorkHours, s.WorkDays, now); err != nil {
			return fmt.Errorf("save team: %w", err)
		}
		if _, err := tx.ExecContext(ctx, promoteManagerSQL, s.ManagerID, now); err != nil {
			return fmt.Errorf("promote manager: %w", err)
		}
		if _, err := tx.ExecContext(ctx, setMembersSQL, id, pq.Array(s.MemberIDs), now); err != nil {
			return fmt.Errorf("set members: %w", err)
		}
		var tiers []string
		for tier, days := range s.Cadence {
			tiers = append(tiers, string(tier))
			if _, err := tx.ExecContext(ctx, upsertCadenceSQL, id, tier, days); err != nil {
				return fmt.Errorf("save cadence: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, deleteCadenceSQL, id, pq.Array(tiers)); err != nil {
			return fmt.Errorf("clear cadences: %w", err)
		}
		return audit(ctx, tx, now, by, "save", "team", id, "slack")
	})
	return id, err
}

const teamManagerSQL = `SELECT COALESCE(manager_id, '') FROM teams WHERE id = $1`

// TeamManager returns the Slack id of the team's manager, "" when it has none, or ENOTFOUND.
func (db *DB) TeamManager(ctx context.Context, teamID int64) (string, error) {
	var id string
	if err := db.db.GetContext(ctx, &id, teamManagerSQL, teamID); err != nil {
		return "", mapError(err)
	}
	return id, nil
}
