package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

// importLockSQL serialises imports: two admins importing the same new customers at once
// would otherwise both create them. Nothing else takes this lock, so logging in Slack goes
// on during an import.
const importLockSQL = `SELECT pg_advisory_xact_lock(hashtext('followup.import'))`

// ImportSheet imports a parsed follow-up sheet in one transaction, by the rules of
// followup.ImportPlan: all of it or, when any row cannot be imported, nothing, with every
// problem in the report and a *followup.SheetError. A dry run works everything out the same
// way, inside the transaction, and rolls it back.
func (db *DB) ImportSheet(ctx context.Context, s followup.Sheet, o followup.ImportOptions) (followup.ImportReport, error) {
	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return followup.ImportReport{}, mapError(err)
	}
	defer tx.Rollback()
	o.Now = db.now()
	report, err := db.importSheet(ctx, tx, s, o)
	if err != nil {
		return report, mapError(err)
	}
	if o.DryRun {
		return report, nil // the deferred rollback undoes it all
	}
	if err := tx.Commit(); err != nil {
		return followup.ImportReport{}, mapError(err)
	}
	return report, nil
}

const findImportCustomersSQL = `
SELECT ` + customerColumns + ` FROM customers
WHERE code = ANY($1) OR lower(name) = ANY($2)`

// findCustomersByPhoneSQL finds customers by their contacts' phone hashes, with the hash
// that matched.
const findCustomersByPhoneSQL = `
SELECT ct.phone_hash AS hash, cu.* FROM contacts ct
JOIN LATERAL (SELECT ` + customerColumns + ` FROM customers WHERE id = ct.customer_id) cu ON true
WHERE ct.phone_hash = ANY($1::bytea[])`

// findCustomersByPhone returns the customers with a contact of each phone (a
// followup.PhoneMatchKey), looked up by the phone's hash under every key of the keyring.
func (db *DB) findCustomersByPhone(ctx context.Context, tx *sqlx.Tx, phones []string) (map[string][]followup.Customer, error) {
	if len(phones) == 0 {
		return nil, nil
	}
	phoneOf := map[string]string{} // hash -> phone
	var hashes pq.ByteaArray
	for _, phone := range phones {
		hs, err := db.lookupHashes(indexPhone, phone)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			phoneOf[string(h)] = phone
		}
		hashes = append(hashes, hs...)
	}
	var rows []struct {
		Hash []byte `db:"hash"`
		customerRow
	}
	if err := tx.SelectContext(ctx, &rows, findCustomersByPhoneSQL, hashes); err != nil {
		return nil, fmt.Errorf("find customers by phone: %w", err)
	}
	out := map[string][]followup.Customer{}
	for _, r := range rows {
		phone := phoneOf[string(r.Hash)]
		if !slices.ContainsFunc(out[phone], func(c followup.Customer) bool { return c.ID == r.ID }) {
			out[phone] = append(out[phone], r.customer())
		}
	}
	return out, nil
}

const insertImportAuditSQL = `
INSERT INTO audit_log (at, actor_id, action, entity, entity_id, surface)
VALUES ($1, $2, 'import', 'sheet', $3, $4)`

func (db *DB) importSheet(ctx context.Context, tx *sqlx.Tx, s followup.Sheet, o followup.ImportOptions) (followup.ImportReport, error) {
	if _, err := tx.ExecContext(ctx, importLockSQL); err != nil {
		return followup.ImportReport{}, fmt.Errorf("import lock: %w", err)
	}
	people, err := findPeople(ctx, tx)
	if err != nil {
		return followup.ImportReport{}, err
	}
	plan, err := followup.NewImportPlan(s, people, o)
	if err != nil {
		return followup.ImportReport{}, err
	}
	codes, names := plan.CustomerRefs()
	var existing []customerRow
	if err := tx.SelectContext(ctx, &existing, findImportCustomersSQL, pq.Array(codes), pq.Array(names)); err != nil {
		return followup.ImportReport{}, fmt.Errorf("find customers: %w", err)
	}
	plan.MatchCustomers(customers(existing))
	byPhone, err := db.findCustomersByPhone(ctx, tx, plan.UnmatchedPhones())
	if err != nil {
		return followup.ImportReport{}, err
	}
	plan.MatchCustomersByPhone(byPhone)
	if err := plan.Err(); err != nil {
		return plan.Report(), err
	}
	if err := db.createImportCustomers(ctx, tx, o, plan); err != nil {
		return followup.ImportReport{}, err
	}
	plan.PlanFollowUps()
	if err := markImported(ctx, tx, plan); err != nil {
		return followup.ImportReport{}, err
	}
	if err := insertImportFollowUps(ctx, tx, o.Now, plan); err != nil {
		return followup.ImportReport{}, err
	}
	if _, err := tx.ExecContext(ctx, insertImportAuditSQL, o.Now, o.ActorID, o.File, o.Surface); err != nil {
		return followup.ImportReport{}, fmt.Errorf("audit import: %w", err)
	}
	return plan.Report(), nil
}

// reserveCodesSQL takes $2 numbers of the month at once; see nextCustomerCode.
const reserveCodesSQL = `
INSERT INTO customer_code_counters (period, last_value) VALUES ($1, $2)
ON CONFLICT (period) DO UPDATE SET last_value = customer_code_counters.last_value + $2
RETURNING last_value`

const findUsedCodesSQL = `SELECT code FROM customers WHERE code = ANY($1)`

const insertImportCustomersSQL = `
INSERT INTO customers (code, name, industry, tier, churn_risk, owner_id, first_contact_on, created_by, created_at, updated_at)
SELECT r.code, r.name, r.industry, r.tier, r.churn, r.owner, r.first_contact::date, $8, $9, $9
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[])
    AS r(code, name, industry, tier, churn, owner, first_contact)
RETURNING ` + customerColumns

// insertImportContactsSQL takes the phones and emails sealed, and the phones' hashes.
const insertImportContactsSQL = `
INSERT INTO contacts (customer_id, name, phone_enc, email_enc, phone_hash, is_primary, created_at)
SELECT r.id, r.name, r.phone, r.email, NULLIF(r.hash, ''::bytea), true, $6
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[]) AS r(id, name, phone, email, hash)`

const insertImportStagesSQL = `
INSERT INTO stage_changes (customer_id, from_stage, to_stage, changed_by, changed_at)
SELECT id, NULL, 'lead', $2, $3 FROM unnest($1::bigint[]) AS id`

// insertImportCustomerAuditSQL writes a creation row per customer, with the personal
// fields it set (a JSON array each, as CreateCustomer writes them).
const insertImportCustomerAuditSQL = `
INSERT INTO audit_log (at, actor_id, action, entity, entity_id, surface, detail)
SELECT $3, $4, 'create', 'customer', r.id::text, $5,
       CASE WHEN r.fields = '[]' THEN '{}' ELSE jsonb_build_object('fields', r.fields::jsonb) END
FROM unnest($1::bigint[], $2::text[]) AS r(id, fields)`

// createImportCustomers inserts the plan's new customers with their primary contacts, as
// CreateCustomer would, and gives each its Customer.
func (db *DB) createImportCustomers(ctx context.Context, tx *sqlx.Tx, o followup.ImportOptions, plan *followup.ImportPlan) error {
	var create []int
	taken := map[string]bool{}
	need := 0
	for i, c := range plan.Customers {
		if c.Existing {
			continue
		}
		create = append(create, i)
		if c.Code == "" {
			need++
		} else {
			taken[c.Code] = true
		}
	}
	if len(create) == 0 {
		return nil
	}
	generated, err := reserveCustomerCodes(ctx, tx, o.Now, need, taken)
	if err != nil {
		return err
	}
	var codes, names, industries, tiers, owners, firsts []string
	var churn []bool
	for _, i := range create {
		c := &plan.Customers[i]
		if c.Code == "" {
			c.Code, generated = generated[0], generated[1:]
		}
		codes, names, industries = append(codes, c.Code), append(names, c.Name), append(industries, c.Industry)
		tiers, churn, owners = append(tiers, string(c.Tier)), append(churn, c.ChurnRisk), append(owners, c.OwnerID)
		firsts = append(firsts, c.FirstContactOn.Format(time.DateOnly))
	}
	var rows []customerRow
	if err := tx.SelectContext(ctx, &rows, insertImportCustomersSQL, pq.Array(codes), pq.Array(names), pq.Array(industries),
		pq.Array(tiers), pq.Array(churn), pq.Array(owners), pq.Array(firsts), o.ActorID, o.Now); err != nil {
		return fmt.Errorf("insert customers: %w", err)
	}
	byCode := map[string]followup.Customer{}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		byCode[r.Code] = r.customer()
		ids = append(ids, r.ID)
	}
	var contactIDs, auditIDs []int64
	var contactNames, phones, emails, fields []string
	var hashes pq.ByteaArray
	for _, i := range create {
		c := &plan.Customers[i]
		c.Customer = byCode[c.Code]
		nc := c.NewCustomer()
		auditIDs, fields = append(auditIDs, c.Customer.ID), append(fields, jsonStrings(nc.Fields()))
		if c.ContactName != "" || c.ContactPhone != "" || c.ContactEmail != "" {
			sealed, err := db.sealContact(nc.Contact)
			if err != nil {
				return err
			}
			contactIDs, contactNames = append(contactIDs, c.Customer.ID), append(contactNames, c.ContactName)
			phones, emails, hashes = append(phones, sealed.Phone), append(emails, sealed.Email), append(hashes, sealed.PhoneHash)
		}
	}
	if _, err := tx.ExecContext(ctx, insertImportContactsSQL, pq.Array(contactIDs), pq.Array(contactNames), pq.Array(phones),
		pq.Array(emails), hashes, o.Now); err != nil {
		return fmt.Errorf("insert contacts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, insertImportStagesSQL, pq.Array(ids), o.ActorID, o.Now); err != nil {
		return fmt.Errorf("insert stage changes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, insertImportCustomerAuditSQL, pq.Array(auditIDs), pq.Array(fields), o.Now, o.ActorID, o.Surface); err != nil {
		return fmt.Errorf("audit customers: %w", err)
	}
	return nil
}

// reserveCustomerCodes takes n codes of the month in one step, passing over any that a
// sheet gives to another new customer or that a customer already has (a code typed by
// hand can look like a generated one).
func reserveCustomerCodes(ctx context.Context, tx *sqlx.Tx, now time.Time, n int, taken map[string]bool) ([]string, error) {
	period := now.UTC().Format("200601")
	var out []string
	for len(out) < n {
		want := n - len(out)
		var last int
		if err := tx.GetContext(ctx, &last, reserveCodesSQL, period, want); err != nil {
			return nil, fmt.Errorf("reserve customer codes: %w", err)
		}
		candidates := make([]string, 0, want)
		for v := last - want + 1; v <= last; v++ {
			candidates = append(candidates, fmt.Sprintf("C%s%03d", period, v))
		}
		var used []string
		if err := tx.SelectContext(ctx, &used, findUsedCodesSQL, pq.Array(candidates)); err != nil {
			return nil, fmt.Errorf("check customer codes: %w", err)
		}
		for _, c := range used {
			taken[c] = true
		}
		for _, c := range candidates {
			if !taken[c] {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// findImportedSQL returns the ordinals of the planned follow-ups that exist already: by
// their import key (imported before), or as a follow-up of the customer on the same day
// with the same method and summary (logged in Slack, then exported and imported again).
const findImportedSQL = `
SELECT r.ord FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[])
    WITH ORDINALITY AS r(import_key, customer_id, day_start, day_end, method, summary, ord)
WHERE EXISTS (SELECT 1 FROM follow_ups f WHERE f.import_key = r.import_key)
   OR EXISTS (SELECT 1 FROM follow_ups f
              WHERE f.customer_id = r.customer_id AND f.happened_at >= r.day_start AND f.happened_at < r.day_end
                AND f.method = r.method AND regexp_replace(btrim(f.summary), '\s+', ' ', 'g') = r.summary)`

// markImported sets Skip on the planned follow-ups that followup has already. Only the
// follow-ups of existing customers can be there.
func markImported(ctx context.Context, tx *sqlx.Tx, plan *followup.ImportPlan) error {
	var idx []int
	var keys, starts, ends, methods, summaries []string
	var customerIDs []int64
	existing := map[int64]bool{}
	for _, c := range plan.Customers {
		if c.Existing {
			existing[c.Customer.ID] = true
		}
	}
	for i, f := range plan.FollowUps {
		if !existing[f.CustomerID] {
			continue
		}
		idx = append(idx, i)
		keys, customerIDs = append(keys, f.Key), append(customerIDs, f.CustomerID)
		starts, ends = append(starts, f.DayStart.Format(time.RFC3339Nano)), append(ends, f.DayEnd.Format(time.RFC3339Nano))
		methods, summaries = append(methods, string(f.Method)), append(summaries, f.CollapsedSummary())
	}
	if len(idx) == 0 {
		return nil
	}
	var found []int
	if err := tx.SelectContext(ctx, &found, findImportedSQL, pq.Array(keys), pq.Array(customerIDs),
		pq.Array(starts), pq.Array(ends), pq.Array(methods), pq.Array(summaries)); err != nil {
		return fmt.Errorf("find imported follow-ups: %w", err)
	}
	for _, ord := range found {
		plan.FollowUps[idx[ord-1]].Skip = true
	}
	return nil
}

// insertImportFollowUpsSQL skips a key that a concurrent import has just inserted; the
// advisory lock makes that unlikely, the unique index makes it harmless.
const insertImportFollowUpsSQL = `
INSERT INTO follow_ups (customer_id, rep_id, happened_at, method, summary, feedback, mood, source, import_key, created_at)
SELECT r.customer_id, r.rep_id, r.happened_at, r.method, r.summary, r.feedback, r.mood, 'import', r.import_key, $9
FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    AS r(customer_id, rep_id, happened_at, method, summary, feedback, mood, import_key)
ON CONFLICT (import_key) WHERE import_key IS NOT NULL DO NOTHING
RETURNING id, import_key`

const insertImportActionsSQL = `
INSERT INTO next_actions (customer_id, follow_up_id, owner_id, text, due_at, status, done_at, created_at, updated_at)
SELECT r.customer_id, r.follow_up_id, r.owner_id, r.text, r.due_at, r.status, NULLIF(r.done_at, '')::timestamptz, $8, $8
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
    AS r(customer_id, follow_up_id, owner_id, text, due_at, status, done_at)`

// touchImportedSQL moves each customer's cadence clock to its latest follow-up, never back.
const touchImportedSQL = `
UPDATE customers c SET last_touch_at = GREATEST(c.last_touch_at, r.at), updated_at = $3
FROM unnest($1::bigint[], $2::timestamptz[]) AS r(id, at)
WHERE c.id = r.id`

// insertImportFollowUps inserts the follow-ups not skipped, their next steps, and the
// customers' new last touch.
func insertImportFollowUps(ctx context.Context, tx *sqlx.Tx, now time.Time, plan *followup.ImportPlan) error {
	var customerIDs []int64
	var reps, ats, methods, summaries, feedbacks, moods, keys []string
	for _, f := range plan.FollowUps {
		if f.Skip {
			continue
		}
		customerIDs, reps, ats = append(customerIDs, f.CustomerID), append(reps, f.RepID), append(ats, f.HappenedAt.Format(time.RFC3339Nano))
		methods, summaries, feedbacks = append(methods, string(f.Method)), append(summaries, f.Summary), append(feedbacks, f.Feedback)
		moods, keys = append(moods, string(f.Mood)), append(keys, f.Key)
	}
	if len(keys) == 0 {
		return nil
	}
	var inserted []struct {
		ID  int64  `db:"id"`
		Key string `db:"import_key"`
	}
	if err := tx.SelectContext(ctx, &inserted, insertImportFollowUpsSQL, pq.Array(customerIDs), pq.Array(reps), pq.Array(ats),
		pq.Array(methods), pq.Array(summaries), pq.Array(feedbacks), pq.Array(moods), pq.Array(keys), now); err != nil {
		return fmt.Errorf("insert follow-ups: %w", err)
	}
	idOf := map[string]int64{}
	for _, r := range inserted {
		idOf[r.Key] = r.ID
	}
	var aCustomers, aFollowUps []int64
	var owners, texts, dues, statuses, doneAts []string
	latest := map[int64]time.Time{}
	for i := range plan.FollowUps {
		f := &plan.FollowUps[i]
		id, ok := idOf[f.Key]
		if f.Skip || !ok {
			f.Skip = true
			continue
		}
		if f.HappenedAt.After(latest[f.CustomerID]) {
			latest[f.CustomerID] = f.HappenedAt
		}
		for _, a := range f.Actions {
			aCustomers, aFollowUps, owners = append(aCustomers, f.CustomerID), append(aFollowUps, id), append(owners, a.OwnerID)
			texts, dues, statuses = append(texts, a.Text), append(dues, a.DueAt.Format(time.RFC3339Nano)), append(statuses, string(a.Status))
			done := ""
			if a.DoneAt != nil {
				done = a.DoneAt.Format(time.RFC3339Nano)
			}
			doneAts = append(doneAts, done)
		}
	}
	if _, err := tx.ExecContext(ctx, insertImportActionsSQL, pq.Array(aCustomers), pq.Array(aFollowUps), pq.Array(owners),
		pq.Array(texts), pq.Array(dues), pq.Array(statuses), pq.Array(doneAts), now); err != nil {
		return fmt.Errorf("insert next steps: %w", err)
	}
	var touchIDs []int64
	var touchAts []string
	for id, at := range latest {
		touchIDs, touchAts = append(touchIDs, id), append(touchAts, at.Format(time.RFC3339Nano))
	}
	if _, err := tx.ExecContext(ctx, touchImportedSQL, pq.Array(touchIDs), pq.Array(touchAts), now); err != nil {
		return fmt.Errorf("touch customers: %w", err)
	}
	return nil
}

// jsonStrings is a list of strings as a JSON array; never null.
func jsonStrings(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v) // strings always marshal
	return string(b)
}
