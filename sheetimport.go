package followup

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Importing a follow-up sheet is worked out here, as an ImportPlan, and carried out by
// storage in one transaction: storage looks things up and writes, the plan decides.
//
// The rules, chosen so that a team's sheet lands as they would have logged it in Slack and
// so that importing the same file twice changes nothing:
//   - Owners: 负责人 is matched to a person by Slack id, email, handle or real name; a row
//     whose owner is empty or matches nobody gets the default owner, and is a problem when
//     there is none. A name several people share is a problem.
//   - Customers: found by code, else by exact name (ignoring case), else, for a row without
//     a code, by its contact's phone when exactly one customer has a contact with that
//     number (as PhoneMatchKey compares them: "百川商贸有限公司" with 王经理's number is the
//     百川商贸 already in followup); created when new, with
//     the code generated when the sheet gives none. Rows without a code that name a customer
//     another row gives a code to are that customer. Existing customers are left as they
//     are; a new one takes, for each field, the newest non-empty value among its rows, and
//     tier B when none gives a tier.
//   - Follow-ups: one per row, at the row's time, or noon of its day, in the owner's time
//     zone. A follow-up is the same one when customer, day, method and summary agree: such a
//     row is skipped as already imported, whether the earlier one came from an import or was
//     logged in Slack (an export re-imported adds nothing); in one file, a repeated row adds
//     only a next step the first did not have.
//   - Next steps: due on the day the sheet says (the due column, or the date in the text,
//     relative to the follow-up's day), at the start of working hours; without a date, when
//     the tier's cadence says, as in Slack. A status column is taken as it is. Otherwise a
//     step is done when a later follow-up of the same customer exists (in the sheet or
//     already in followup), because that follow-up is what the step led to, and open
//     otherwise, overdue or not: a history sheet of two years yields one open step per
//     customer, the latest, not two years of overdue reminders.

// ImportOptions are the choices of one import.
type ImportOptions struct {
	File         string // the file's name, for the report and the audit log
	DefaultOwner string // who owns rows whose 负责人 is empty or matches nobody: a Slack id, name or email
	ActorID      string // who imports: a Slack id, or "cli"
	Surface      string // where from, for the audit log: "cli" or "slack"
	DryRun       bool   // work everything out and report it, writing nothing
	Now          time.Time
	Location     *time.Location // for people whose time zone is unknown
	WorkStart    time.Duration  // a step due on a day is due at this time of it
	Cadence      Cadence
}

// ImportReport says what an import did, or would do in a dry run.
type ImportReport struct {
	File             string
	Sheet            string
	Rows             int // rows read below the header
	CustomersCreated int
	CustomersMatched int
	FollowUpsCreated int
	ActionsCreated   int
	ActionsOpen      int // of ActionsCreated: open or snoozed...
	ActionsOverdue   int // ...of which already overdue
	ActionsDone      int // of ActionsCreated: done, mostly because a later follow-up exists
	RowsSkipped      int // already imported, or repeating an earlier row
	IgnoredColumns   []string
	DryRun           bool
	Problems         []SheetProblem // when not empty, nothing was imported
}

// ImportCustomer is a customer the sheet's rows are about.
type ImportCustomer struct {
	Code           string // as the sheet gives it; "" to generate one
	Name           string
	Industry       string
	ContactName    string
	ContactPhone   string
	ContactEmail   string
	Tier           Tier
	ChurnRisk      bool
	FirstContactOn time.Time // a day
	OwnerID        string
	// Existing is set when the customer was found in followup; Customer is the customer
	// found, or the one created (storage sets it).
	Existing bool
	Customer Customer

	rows      []int // indices into the sheet's rows
	nameKey   string
	ambiguous bool // its name is several customers'
}

// ImportFollowUp is a follow-up to create.
type ImportFollowUp struct {
	NewFollowUp
	Rows     []int // spreadsheet row numbers: the first, and any that repeat it
	Key      string
	DayStart time.Time // the follow-up's day in the owner's zone, for finding one logged in Slack
	DayEnd   time.Time
	Actions  []ImportAction
	// Skip is set when the follow-up is in followup already.
	Skip bool

	customer int
	summary  string // collapsed, as the key and the look-up compare it
}

// ImportAction is a next step to create with its follow-up.
type ImportAction struct {
	NewAction
	Status ActionStatus
	DoneAt *time.Time

	given ActionStatus // the sheet's status; "" to derive it
}

// ImportPlan is what importing a sheet does, worked out before anything is written.
type ImportPlan struct {
	Sheet     Sheet
	Options   ImportOptions
	Customers []ImportCustomer
	FollowUps []ImportFollowUp
	Problems  []SheetProblem

	owners     []Person // per sheet row
	customerOf []int    // per sheet row: index into Customers
	repeats    int      // rows that repeat an earlier one and add nothing
}

// NewImportPlan matches the rows' owners among people and groups the rows by customer. The
// default owner must be a person: an error otherwise.
func NewImportPlan(s Sheet, people []Person, o ImportOptions) (*ImportPlan, error) {
	if o.WorkStart == 0 {
		o.WorkStart = 9 * time.Hour
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Cadence == nil {
		o.Cadence = DefaultCadence()
	}
	p := &ImportPlan{Sheet: s, Options: o, Problems: slices.Clone(s.Problems)}
	var def *Person
	if o.DefaultOwner != "" {
		m := MatchPeople(people, o.DefaultOwner)
		if len(m) != 1 {
			return nil, Errorf(EINVALID, "The default owner is not one person known to followup: give their Slack id.")
		}
		def = &m[0]
	}
	p.matchOwners(people, def)
	p.groupCustomers()
	return p, nil
}

// matchOwners finds each row's owner.
func (p *ImportPlan) matchOwners(people []Person, def *Person) {
	l := p.Sheet.Layout
	p.owners = make([]Person, len(p.Sheet.Rows))
	for i, r := range p.Sheet.Rows {
		m := MatchPeople(people, r.Owner)
		switch {
		case len(m) == 1:
			p.owners[i] = m[0]
		case len(m) > 1:
			p.problem(r.Row, l.column(ColOwner), ProblemAmbiguousOwner, r.Owner)
		case def != nil:
			p.owners[i] = *def
		case r.Owner == "":
			p.problem(r.Row, l.column(ColOwner), ProblemNoOwner, "")
		default:
			p.problem(r.Row, l.column(ColOwner), ProblemUnknownOwner, r.Owner)
		}
	}
}

func (p *ImportPlan) problem(row int, column, reason, value string) {
	p.Problems = append(p.Problems, SheetProblem{Row: row, Column: column, Reason: reason, Value: clipRunes(value, 40)})
}

func customerNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// groupCustomers puts the rows of each customer together: by code, and rows that give only
// a name with the code another row gives that name.
func (p *ImportPlan) groupCustomers() {
	rows := p.Sheet.Rows
	p.customerOf = make([]int, len(rows))
	byCode, byName := map[string]int{}, map[string]int{}
	codesOfName := map[string][]string{}
	add := func(i int, g map[string]int, key string) {
		idx, ok := g[key]
		if !ok {
			idx = len(p.Customers)
			g[key] = idx
			p.Customers = append(p.Customers, ImportCustomer{Code: rows[i].CustomerCode})
		}
		p.customerOf[i] = idx
		p.Customers[idx].rows = append(p.Customers[idx].rows, i)
	}
	for i, r := range rows {
		if r.CustomerCode == "" {
			continue
		}
		add(i, byCode, r.CustomerCode)
		if k := customerNameKey(r.CustomerName); k != "" && !slices.Contains(codesOfName[k], r.CustomerCode) {
			codesOfName[k] = append(codesOfName[k], r.CustomerCode)
		}
	}
	for i, r := range rows {
		if r.CustomerCode != "" {
			continue
		}
		k := customerNameKey(r.CustomerName)
		switch codes := codesOfName[k]; len(codes) {
		case 0:
			add(i, byName, k)
		case 1:
			add(i, byCode, codes[0])
		default:
			p.customerOf[i] = -1
			p.problem(r.Row, p.Sheet.Layout.column(ColName), ProblemAmbiguousName, r.CustomerName)
		}
	}
	for i := range p.Customers {
		p.mergeCustomer(&p.Customers[i])
	}
}

// mergeCustomer fills a new customer's fields from its rows, the newest non-empty value of
// each winning: tiers change over a customer's history, and the sheet's last word is the
// current one.
func (p *ImportPlan) mergeCustomer(c *ImportCustomer) {
	rows := p.Sheet.Rows
	order := slices.Clone(c.rows)
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(rows[a].Day.Compare(rows[b].Day), cmp.Compare(rows[a].Clock, rows[b].Clock))
	})
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	c.Tier = TierB
	for _, i := range order {
		r := rows[i]
		set(&c.Name, r.CustomerName)
		set(&c.Industry, r.Industry)
		set(&c.ContactName, r.ContactName)
		set(&c.ContactPhone, r.ContactPhone)
		set(&c.ContactEmail, r.ContactEmail)
		set(&c.OwnerID, p.owners[i].SlackID)
		if r.Tier != "" {
			c.Tier, c.ChurnRisk = r.Tier, r.ChurnRisk
		}
		if first := cmp.Or(r.FirstContact, r.Day); c.FirstContactOn.IsZero() || first.Before(c.FirstContactOn) {
			c.FirstContactOn = first
		}
	}
	c.nameKey = customerNameKey(c.Name)
}

// CustomerRefs are the codes and names (in lower case) to look existing customers up by.
func (p *ImportPlan) CustomerRefs() (codes, names []string) {
	for _, c := range p.Customers {
		if c.Code != "" {
			codes = append(codes, c.Code)
		}
		if c.nameKey != "" {
			names = append(names, c.nameKey)
		}
	}
	return codes, names
}

// MatchCustomers links the plan's customers to the existing ones storage found by
// CustomerRefs: by code, else by exact name. A row whose code is another customer's, or
// whose name several customers have, is a problem.
func (p *ImportPlan) MatchCustomers(existing []Customer) {
	byCode := map[string]Customer{}
	byName := map[string][]Customer{}
	for _, c := range existing {
		byCode[c.Code] = c
		k := customerNameKey(c.Name)
		byName[k] = append(byName[k], c)
	}
	l := p.Sheet.Layout
	for i := range p.Customers {
		c := &p.Customers[i]
		first := p.Sheet.Rows[c.rows[0]].Row
		if found, ok := byCode[c.Code]; ok && c.Code != "" {
			c.Existing, c.Customer = true, found
			for _, ri := range c.rows {
				r := p.Sheet.Rows[ri]
				if r.CustomerName != "" && customerNameKey(r.CustomerName) != customerNameKey(found.Name) {
					p.problem(r.Row, l.column(ColCode), ProblemCodeNameClash, found.Name)
				}
			}
			continue
		}
		switch named := byName[c.nameKey]; {
		case len(named) == 1:
			c.Existing, c.Customer = true, named[0]
		case len(named) > 1:
			c.ambiguous = true
			p.problem(first, l.column(ColName), ProblemAmbiguousName, c.Name)
		}
	}
	slices.SortStableFunc(p.Problems, func(a, b SheetProblem) int { return cmp.Compare(a.Row, b.Row) })
}

// UnmatchedPhones are the contact phones (as PhoneMatchKey writes them) of the customers
// that MatchCustomers found no customer for and that have no code, to look existing
// customers up by.
func (p *ImportPlan) UnmatchedPhones() []string {
	var out []string
	for _, c := range p.Customers {
		if k := PhoneMatchKey(c.ContactPhone); c.phoneMatchable() && k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func (c ImportCustomer) phoneMatchable() bool { return !c.Existing && !c.ambiguous && c.Code == "" }

// MatchCustomersByPhone links the customers UnmatchedPhones named to the customers storage
// found with a contact of each phone (keyed by PhoneMatchKey): when exactly one has it. A
// number several customers share decides nothing, and the customer is new.
func (p *ImportPlan) MatchCustomersByPhone(byPhone map[string][]Customer) {
	for i := range p.Customers {
		c := &p.Customers[i]
		if !c.phoneMatchable() {
			continue
		}
		if found := byPhone[PhoneMatchKey(c.ContactPhone)]; len(found) == 1 {
			c.Existing, c.Customer = true, found[0]
		}
	}
}

// Err is the plan's problems as a *SheetError, nil when there are none.
func (p *ImportPlan) Err() error {
	if len(p.Problems) == 0 {
		return nil
	}
	return &SheetError{Problems: p.Problems}
}

// NewCustomer is what storage inserts for a customer the plan creates.
func (c ImportCustomer) NewCustomer() NewCustomer {
	return NewCustomer{
		Name: c.Name, Code: c.Code, Kind: KindCompany, Industry: c.Industry, Tier: c.Tier, OwnerID: c.OwnerID,
		Contact: Contact{Name: c.ContactName, Phone: c.ContactPhone, Email: c.ContactEmail, Primary: true},
	}
}

// PlanFollowUps works out the follow-ups and next steps, once every customer of the plan
// has its Customer (found or created). It follows the rules at the top of this file.
func (p *ImportPlan) PlanFollowUps() {
	o := p.Options
	byKey := map[string]int{}
	p.FollowUps, p.repeats = nil, 0
	for i, r := range p.Sheet.Rows {
		ci := p.customerOf[i]
		if ci < 0 {
			continue
		}
		c := p.Customers[ci].Customer
		owner := p.owners[i]
		loc := owner.Location(o.Location)
		start := civilDay(r.Day, loc)
		at := start.Add(12 * time.Hour)
		if r.HasClock {
			at = start.Add(r.Clock)
		}
		if at.After(o.Now) {
			at = o.Now // a follow-up dated today, imported before noon
		}
		summary := strings.Join(strings.Fields(r.Summary), " ")
		key := ImportKey(c.ID, r.Day, r.Method, summary)
		var action *ImportAction
		if r.Next != nil {
			action = &ImportAction{NewAction: NewAction{Text: r.Next.Text, OwnerID: owner.SlackID,
				DueAt: p.dueAt(*r.Next, at, c.Tier, loc)}, given: r.Next.Status}
		}
		if fi, ok := byKey[key]; ok {
			f := &p.FollowUps[fi]
			if action != nil && !slices.ContainsFunc(f.Actions, func(a ImportAction) bool {
				return a.Text == action.Text && a.DueAt.Equal(action.DueAt)
			}) {
				f.Actions = append(f.Actions, *action)
				f.Rows = append(f.Rows, r.Row)
			} else {
				p.repeats++
			}
			continue
		}
		byKey[key] = len(p.FollowUps)
		f := ImportFollowUp{
			NewFollowUp: NewFollowUp{CustomerID: c.ID, RepID: owner.SlackID, HappenedAt: at, Method: r.Method,
				Summary: r.Summary, Feedback: r.Feedback, Mood: r.Mood, Source: "import"},
			Rows: []int{r.Row}, Key: key, DayStart: start, DayEnd: start.AddDate(0, 0, 1),
			customer: ci, summary: summary,
		}
		if action != nil {
			f.Actions = []ImportAction{*action}
		}
		p.FollowUps = append(p.FollowUps, f)
	}
	p.settleActions()
}

// CollapsedSummary is the summary as the duplicate look-up compares it: runs of white space
// (line breaks included) read as one space.
func (f ImportFollowUp) CollapsedSummary() string { return f.summary }

// civilDay is midnight of the calendar day day (held as midnight UTC) in loc.
func civilDay(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
}

// dueAt is when a next step falls due: at the sheet's time, else at the start of working
// hours of its day; with no day, when the tier's cadence says after the follow-up.
func (p *ImportPlan) dueAt(n SheetNext, happened time.Time, tier Tier, loc *time.Location) time.Time {
	if n.Due.IsZero() {
		return DayOf(p.Options.Cadence.NextContactDue(happened, tier), loc).Add(p.Options.WorkStart)
	}
	if n.HasClock {
		return civilDay(n.Due, loc).Add(n.Clock)
	}
	return civilDay(n.Due, loc).Add(p.Options.WorkStart)
}

// settleActions gives each next step its status: the sheet's, or done when a later
// follow-up of the customer exists and open otherwise.
func (p *ImportPlan) settleActions() {
	later := map[int64][]time.Time{} // per customer, every follow-up moment known
	for _, f := range p.FollowUps {
		later[f.CustomerID] = append(later[f.CustomerID], f.HappenedAt)
	}
	for _, c := range p.Customers {
		if c.Existing && c.Customer.LastTouchAt != nil {
			later[c.Customer.ID] = append(later[c.Customer.ID], *c.Customer.LastTouchAt)
		}
	}
	for fi := range p.FollowUps {
		f := &p.FollowUps[fi]
		var next *time.Time
		for _, t := range later[f.CustomerID] {
			if t.After(f.HappenedAt) && (next == nil || t.Before(*next)) {
				next = &t
			}
		}
		for ai := range f.Actions {
			a := &f.Actions[ai]
			a.Status, a.DoneAt = a.given, nil
			switch {
			case a.given == "" && next != nil:
				a.Status, a.DoneAt = ActionDone, next
			case a.given == "":
				a.Status = ActionOpen
			case a.given == ActionDone && next != nil:
				a.DoneAt = next
			case a.given == ActionDone:
				now := p.Options.Now
				a.DoneAt = &now
			}
		}
	}
}

// ImportKey is the idempotency key of an imported follow-up: what makes two rows the same
// follow-up (see the rules above), hashed to a fixed length for a unique index.
func ImportKey(customerID int64, day time.Time, m Method, collapsedSummary string) string {
	h := sha256.New()
	for _, part := range []string{"followup-import-v1", strconv.FormatInt(customerID, 10), day.Format(time.DateOnly), string(m), collapsedSummary} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Report counts what the plan does; storage calls it once Skip is known.
func (p *ImportPlan) Report() ImportReport {
	o := p.Options
	r := ImportReport{File: o.File, Sheet: p.Sheet.Name, Rows: len(p.Sheet.Rows) + countProblemRows(p.Sheet.Problems),
		IgnoredColumns: p.Sheet.Layout.Ignored, DryRun: o.DryRun, Problems: p.Problems, RowsSkipped: p.repeats}
	matched := map[int64]bool{}
	for _, c := range p.Customers {
		switch {
		case c.Existing:
			matched[c.Customer.ID] = true
		case len(p.Problems) == 0:
			r.CustomersCreated++
		}
	}
	r.CustomersMatched = len(matched)
	for _, f := range p.FollowUps {
		if f.Skip {
			r.RowsSkipped += len(f.Rows)
			continue
		}
		r.FollowUpsCreated++
		for _, a := range f.Actions {
			r.ActionsCreated++
			switch a.Status {
			case ActionOpen, ActionSnoozed:
				r.ActionsOpen++
				if a.DueAt.Before(o.Now) {
					r.ActionsOverdue++
				}
			case ActionDone:
				r.ActionsDone++
			}
		}
	}
	return r
}

// countProblemRows is how many distinct data rows have problems.
func countProblemRows(problems []SheetProblem) int {
	rows := map[int]bool{}
	for _, p := range problems {
		rows[p.Row] = true
	}
	return len(rows)
}
