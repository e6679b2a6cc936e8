package followup

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// SheetKind is what a column of an exported table holds, so that an XLSX file gets date and
// number cells Excel can sort and sum, while a CSV file gets the same text.
type SheetKind int

// The kinds of column.
const (
	SheetText   SheetKind = iota
	SheetDate             // "2006-01-02", or "2006-01-02 15:04" for a moment
	SheetNumber           // an integer
)

// SheetTable is a spreadsheet to write: a header row above rows of cells.
type SheetTable struct {
	Name   string // the worksheet's name: at most 31 characters, none of : \ / ? * [ ]
	Header []string
	Kinds  []SheetKind // one per column
	Rows   [][]string
}

// ExportOptions are the choices of an export.
type ExportOptions struct {
	Locale    string         // the headers' and the words' language: LocaleZH (the default) or LocaleEN
	Location  *time.Location // for people whose time zone is unknown
	WorkStart time.Duration  // a step due at this time of day is written as its day alone
}

func (o ExportOptions) zh() bool { return o.Locale != LocaleEN }

// word picks the English or Chinese word.
func (o ExportOptions) word(en, zh string) string {
	if o.zh() {
		return zh
	}
	return en
}

// FollowUpRecord is a follow-up with what the follow-up sheet shows beside it.
type FollowUpRecord struct {
	FollowUp FollowUp // with its next steps
	Customer Customer
	Contact  Contact // the primary contact; zero when there is none
	Rep      Person
}

// CustomerRecord is a customer with its primary contact and owner.
type CustomerRecord struct {
	Customer Customer
	Contact  Contact
	Owner    Person
}

// methodNames are the words an export writes for each method; ParseMethodWord reads them.
var methodNames = map[Method][2]string{
	MethodPhone: {"Phone", "电话"}, MethodVisit: {"Visit", "拜访"}, MethodVideo: {"Video meeting", "视频会议"},
	MethodEmail: {"Email", "邮件"}, MethodSMS: {"SMS", "短信"}, MethodIM: {"IM", "微信/IM"},
	MethodInbound: {"Customer visit", "客户来访"}, MethodOther: {"Other", "其他"},
}

var statusNames = map[ActionStatus][2]string{
	ActionOpen: {"open", "未完成"}, ActionDone: {"done", "已完成"}, ActionSnoozed: {"snoozed", "已推迟"}, ActionCancelled: {"cancelled", "已取消"},
}

var stageNames = map[Stage][2]string{
	StageLead: {"lead", "潜在"}, StageIntent: {"intent", "意向"}, StageQuoted: {"quoted", "报价"}, StageWon: {"won", "成交"}, StageLost: {"lost", "流失"},
}

func (o ExportOptions) pick(names [2]string) string { return o.word(names[0], names[1]) }

// tierCell writes a tier as ParseTierWord reads it back: the letter, with the churn mark.
func (o ExportOptions) tierCell(t Tier, churn bool) string {
	if churn {
		return string(t) + o.word(" (churn risk)", "（流失风险）")
	}
	return string(t)
}

// contactCell is what 联系方式 holds: the phone, else the email.
func contactCell(c Contact) string {
	if c.Phone != "" {
		return c.Phone
	}
	return c.Email
}

// ownerNamer names people in an export so that an import finds them again: by display
// name, with the Slack id added when the name would match more than one person.
type ownerNamer []Person

func (n ownerNamer) name(p Person) string {
	if p.SlackID == "" {
		return ""
	}
	name := p.DisplayName()
	if len(MatchPeople(n, name)) != 1 {
		return name + " (" + p.SlackID + ")"
	}
	return name
}

func dayCell(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.DateOnly)
}

// FollowUpSheet lays follow-ups out in the follow-up sheet, one row per next step (a
// follow-up without one takes one row), so that importing the file gives them back. Days
// are written in each rep's time zone; people is everyone, to tell apart people who share
// a name.
func FollowUpSheet(recs []FollowUpRecord, people []Person, o ExportOptions) SheetTable {
	cols := make([]SheetColumn, numSheetColumns)
	for i := range cols {
		cols[i] = SheetColumn(i)
	}
	t := SheetTable{Name: o.word("Follow-ups", "跟进记录")}
	for _, c := range cols {
		t.Header = append(t.Header, SheetHeader(c, o.Locale))
		kind := SheetText
		if c == ColFirstContact || c == ColDate || c == ColNextDue {
			kind = SheetDate
		}
		t.Kinds = append(t.Kinds, kind)
	}
	names, zones := ownerNamer(people), newPersonZones(people)
	for _, r := range recs {
		loc := r.Rep.Location(o.Location)
		f, c := r.FollowUp, r.Customer
		base := make([]string, numSheetColumns)
		base[ColCode], base[ColName], base[ColIndustry] = c.Code, c.Name, c.Industry
		base[ColContact], base[ColPhone] = r.Contact.Name, contactCell(r.Contact)
		base[ColTier] = o.tierCell(c.Tier, c.ChurnRisk)
		if c.FirstContactOn != nil {
			base[ColFirstContact] = c.FirstContactOn.Format(time.DateOnly) // a date column: no zone
		}
		base[ColDate] = dayCell(f.HappenedAt, loc)
		base[ColMethod] = o.pick(methodNames[f.Method])
		base[ColSummary], base[ColFeedback] = f.Summary, f.Feedback
		base[ColOwner] = names.name(r.Rep)
		if len(f.Actions) == 0 {
			t.Rows = append(t.Rows, base)
			continue
		}
		for _, a := range f.Actions {
			row := append([]string(nil), base...)
			row[ColNext] = a.Text
			row[ColNextDue] = o.dueCell(a.DueAt, zones.of(a.OwnerID, loc))
			row[ColNextStatus] = o.pick(statusNames[a.Status])
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// personZones finds people's time zones by Slack id.
type personZones map[string]string

func newPersonZones(people []Person) personZones {
	z := personZones{}
	for _, p := range people {
		z[p.SlackID] = p.TZ
	}
	return z
}

// of is the time zone of the person with the Slack id, else def.
func (z personZones) of(slackID string, def *time.Location) *time.Location {
	return Person{TZ: z[slackID]}.Location(def)
}

// dueCell writes a due time as its day when it is at the start of working hours (how
// followup sets a step due on a day), else with its time.
func (o ExportOptions) dueCell(due time.Time, loc *time.Location) string {
	d := due.In(loc)
	if d.Sub(DayOf(d, loc)) == o.WorkStart {
		return d.Format(time.DateOnly)
	}
	return d.Format("2006-01-02 15:04")
}

// CustomerSheet lists customers with their primary contact and owner.
func CustomerSheet(recs []CustomerRecord, people []Person, o ExportOptions) SheetTable {
	type col struct {
		en, zh string
		kind   SheetKind
		value  func(r CustomerRecord, loc *time.Location) string
	}
	names := ownerNamer(people)
	cols := []col{
		{"Customer code", "客户编号", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.Code }},
		{"Customer", "客户名称", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.Name }},
		{"Kind", "客户性质", SheetText, func(r CustomerRecord, _ *time.Location) string {
			return o.word(string(r.Customer.Kind), map[CustomerKind]string{KindCompany: "企业", KindPerson: "个人"}[r.Customer.Kind])
		}},
		{"Industry", "所属行业", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.Industry }},
		{"Tier", "客户等级", SheetText, func(r CustomerRecord, _ *time.Location) string { return string(r.Customer.Tier) }},
		{"Churn risk", "流失风险", SheetText, func(r CustomerRecord, _ *time.Location) string {
			if r.Customer.ChurnRisk {
				return o.word("yes", "是")
			}
			return o.word("no", "否")
		}},
		{"Stage", "销售阶段", SheetText, func(r CustomerRecord, _ *time.Location) string { return o.pick(stageNames[r.Customer.Stage]) }},
		{"Lost reason", "流失原因", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.LostReason }},
		{"Owner", "负责人", SheetText, func(r CustomerRecord, _ *time.Location) string { return names.name(r.Owner) }},
		{"Contact", "联系人", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Contact.Name }},
		{"Phone", "联系电话", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Contact.Phone }},
		{"Email", "邮箱", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Contact.Email }},
		{"Source", "客户来源", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.Source }},
		{"Region", "地区", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.Region }},
		{"First contact", "首次接触时间", SheetDate, func(r CustomerRecord, _ *time.Location) string {
			if r.Customer.FirstContactOn == nil {
				return ""
			}
			return r.Customer.FirstContactOn.Format(time.DateOnly)
		}},
		{"Last follow-up", "最近跟进", SheetDate, func(r CustomerRecord, loc *time.Location) string {
			if r.Customer.LastTouchAt == nil {
				return ""
			}
			return dayCell(*r.Customer.LastTouchAt, loc)
		}},
		{"Tags", "标签", SheetText, func(r CustomerRecord, _ *time.Location) string { return strings.Join(r.Customer.Tags, ", ") }},
		{"Notes", "备注", SheetText, func(r CustomerRecord, _ *time.Location) string { return r.Customer.Notes }},
		{"Added", "创建时间", SheetDate, func(r CustomerRecord, loc *time.Location) string { return dayCell(r.Customer.CreatedAt, loc) }},
	}
	t := SheetTable{Name: o.word("Customers", "客户")}
	for _, c := range cols {
		t.Header = append(t.Header, o.word(c.en, c.zh))
		t.Kinds = append(t.Kinds, c.kind)
	}
	for _, r := range recs {
		loc := r.Owner.Location(o.Location)
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.value(r, loc)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// ReviewSheet is the weekly review: each rep's figures over the digest's period, as
// storage's Digest counts them, with the team's total last.
func ReviewSheet(d Digest, o ExportOptions) SheetTable {
	t := SheetTable{Name: o.word("Review", "周报")}
	heads := [][2]string{
		{"Rep", "销售"}, {"Follow-ups logged", "跟进次数"}, {"Next steps due", "到期的下一步"},
		{"Next steps done", "已完成的下一步"}, {"Next steps overdue", "逾期的下一步"},
		{"Customers past cadence", "超出跟进频率的客户"}, {"New customers", "新增客户"},
		{"Stage moves", "阶段变化"}, {"Won", "成交"}, {"Lost", "流失"},
	}
	for i, h := range heads {
		t.Header = append(t.Header, o.pick(h))
		kind := SheetNumber
		if i == 0 {
			kind = SheetText
		}
		t.Kinds = append(t.Kinds, kind)
	}
	line := func(name string, a RepActivity) []string {
		row := []string{name}
		for _, n := range []int{a.FollowUps, a.ActionsDue, a.ActionsDone, a.ActionsOverdue, a.PastCadence,
			a.NewCustomers, a.StageMoves, a.Won, a.Lost} {
			row = append(row, strconv.Itoa(n))
		}
		return row
	}
	for _, r := range d.Reps {
		t.Rows = append(t.Rows, line(r.Name, r))
	}
	t.Rows = append(t.Rows, line(o.word("Total", "合计"), d.Total))
	return t
}

// ExportKind is what an export lists.
type ExportKind string

// The exports: the customer list, the follow-up sheet and the weekly review.
const (
	ExportCustomers ExportKind = "customers"
	ExportFollowUps ExportKind = "followups"
	ExportReview    ExportKind = "review"
)

// ParseExportKind reads the kind an export is asked for, in English or Chinese.
func ParseExportKind(s string) (ExportKind, bool) {
	switch sheetWordFold(s) {
	case "customers", "customer", "客户", "客户列表":
		return ExportCustomers, true
	case "followups", "followup", "跟进", "跟进记录":
		return ExportFollowUps, true
	case "review", "weeklyreview", "周报", "复盘":
		return ExportReview, true
	}
	return "", false
}

// ExportPeriod turns the days an export is asked for (inclusive, "" when not given) into
// the period [from, to) in loc. A review without days covers the last 7 days, today
// included; its end is never after now, since its backlog is counted at the end. A zero
// bound is open.
func ExportPeriod(kind ExportKind, fromDay, toDay string, now time.Time, loc *time.Location) (from, to time.Time, err error) {
	day := func(s, flag string) (time.Time, error) {
		d, _, _, ok := ParseSheetDate(s)
		if !ok {
			return time.Time{}, Errorf(EINVALID, "%s %s is not a date: write it as 2024-05-10.", flag, s)
		}
		return civilDay(d, loc), nil
	}
	if fromDay != "" {
		if from, err = day(fromDay, "--from"); err != nil {
			return from, to, err
		}
	}
	if toDay != "" {
		if to, err = day(toDay, "--to"); err != nil {
			return from, to, err
		}
		to = to.AddDate(0, 0, 1)
	}
	if kind == ExportReview {
		if to.IsZero() || to.After(now) {
			to = now
		}
		if from.IsZero() {
			from = DayOf(now, loc).AddDate(0, 0, -6)
		}
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return from, to, Errorf(EINVALID, "--to must not be before --from.")
	}
	return from, to, nil
}

// ExportFileName names an export's file: followups-20240512.xlsx, or with the period for a
// review (review-20240506-20240512.xlsx).
func ExportFileName(kind ExportKind, from, to, now time.Time, loc *time.Location, ext string) string {
	if kind == ExportReview {
		last := to.Add(-time.Nanosecond)
		return "review-" + from.In(loc).Format("20060102") + "-" + last.In(loc).Format("20060102") + "." + ext
	}
	return string(kind) + "-" + now.In(loc).Format("20060102") + "." + ext
}

// ExportSource is what an export reads; storage.DB implements it.
type ExportSource interface {
	ExportCustomers(ctx context.Context, scope DigestScope) ([]CustomerRecord, []Person, error)
	ExportFollowUps(ctx context.Context, scope DigestScope, from, to time.Time) ([]FollowUpRecord, []Person, error)
	Digest(ctx context.Context, scope DigestScope, from, to time.Time) (Digest, error)
}

// BuildExport reads what kind lists for scope over [from, to) and lays it out.
func BuildExport(ctx context.Context, src ExportSource, kind ExportKind, scope DigestScope, from, to time.Time, o ExportOptions) (SheetTable, error) {
	switch kind {
	case ExportCustomers:
		recs, people, err := src.ExportCustomers(ctx, scope)
		return CustomerSheet(recs, people, o), err
	case ExportFollowUps:
		recs, people, err := src.ExportFollowUps(ctx, scope, from, to)
		return FollowUpSheet(recs, people, o), err
	}
	d, err := src.Digest(ctx, scope, from, to)
	return ReviewSheet(d, o), err
}
