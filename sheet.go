package followup

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The follow-up sheet (客户跟进记录表) is the spreadsheet teams keep before followup: one row
// per follow-up, the customer's details repeated on each row. This file reads it: header
// aliases in Chinese and English, tier, method and status words, dates, and one row into
// domain values. It does no I/O; package sheet turns CSV and XLSX files into SheetRecords.

// SheetRecord is one row of a spreadsheet as the file holds it.
type SheetRecord struct {
	Row   int // the row number the spreadsheet shows, 1 for the first
	Cells []string
}

// SheetData is one worksheet of a file: CSV files have one, without a name.
type SheetData struct {
	Name    string
	Records []SheetRecord
}

// SheetColumn is a column of the follow-up sheet.
type SheetColumn int

// The columns of the follow-up sheet, in the order an export writes them. The last two are
// followup's own: an export writes them so that an import gets the next step's due date and
// status back exactly; sheets that lack them get the due date from the next step's text.
const (
	ColCode SheetColumn = iota
	ColName
	ColIndustry
	ColContact
	ColPhone
	ColTier
	ColFirstContact
	ColDate
	ColMethod
	ColSummary
	ColFeedback
	ColNext
	ColOwner
	ColNextDue
	ColNextStatus
	numSheetColumns
)

// Limits on what one import reads: a sheet is imported in one transaction, and a file
// this size is years of a large team's follow-ups.
const (
	MaxSheetRows  = 20000
	MaxSheetBytes = 20 << 20
)

// sheetColumnSpec names a column: the headers an export writes and the headers an import
// accepts, compared after sheetHeaderFold.
type sheetColumnSpec struct {
	zh, en  string
	aliases []string
}

var sheetColumnSpecs = [numSheetColumns]sheetColumnSpec{
	ColCode:         {"客户编号", "Customer code", []string{"编号", "客户代码", "客户ID", "客户号", "code", "customer no", "customer id", "customer number"}},
	ColName:         {"客户名称", "Customer", []string{"客户", "客户名", "客户姓名", "公司", "公司名称", "企业名称", "customer name", "name", "company", "company name"}},
	ColIndustry:     {"所属行业", "Industry", []string{"行业", "sector"}},
	ColContact:      {"联系人", "Contact", []string{"联系人姓名", "对接人", "contact name", "contact person"}},
	ColPhone:        {"联系方式", "Phone", []string{"联系电话", "电话号码", "手机", "手机号", "手机号码", "phone number", "mobile", "tel", "contact phone", "contact info"}},
	ColTier:         {"客户等级", "Tier", []string{"等级", "客户级别", "级别", "客户类型", "客户分类", "customer tier", "level", "grade", "customer type"}},
	ColFirstContact: {"首次接触时间", "First contact", []string{"首次接触日期", "首次接触", "首次联系时间", "首次联系日期", "first contact date", "first contacted"}},
	ColDate:         {"跟进日期", "Follow-up date", []string{"跟进时间", "日期", "联系日期", "followup date", "date", "contact date"}},
	ColMethod:       {"跟进方式", "Method", []string{"方式", "沟通方式", "follow-up method", "channel", "contact method"}},
	ColSummary:      {"跟进内容", "Summary", []string{"沟通内容", "跟进记录", "内容", "follow-up summary", "what was discussed", "discussion", "content"}},
	ColFeedback:     {"客户反馈", "Feedback", []string{"反馈", "customer feedback"}},
	ColNext:         {"下一步计划", "Next step", []string{"下一步", "下步计划", "后续计划", "跟进计划", "next steps", "next action", "next"}},
	ColOwner:        {"负责人", "Owner", []string{"跟进人", "销售", "销售代表", "业务员", "rep", "sales rep", "salesperson", "assigned to"}},
	ColNextDue:      {"下一步截止日期", "Next step due", []string{"截止日期", "下一步日期", "计划日期", "next step due date", "due", "due date"}},
	ColNextStatus:   {"下一步状态", "Next step status", []string{"状态", "next step state", "status"}},
}

// SheetHeader returns the header an export writes for column c in locale.
func SheetHeader(c SheetColumn, locale string) string {
	if locale == LocaleEN {
		return sheetColumnSpecs[c].en
	}
	return sheetColumnSpecs[c].zh
}

// sheetHeaderIndex maps every folded header and alias onto its column.
var sheetHeaderIndex = func() map[string]SheetColumn {
	idx := map[string]SheetColumn{}
	for c, spec := range sheetColumnSpecs {
		for _, h := range append([]string{spec.zh, spec.en}, spec.aliases...) {
			idx[sheetHeaderFold(h)] = SheetColumn(c)
		}
	}
	return idx
}()

// sheetBracketed matches what sheets put in brackets after a header: a unit, an example or
// a "required" mark, as in 联系方式（手机） or "Follow-up date (YYYY-MM-DD)".
var sheetBracketed = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]|【[^】]*】`)

// sheetHeaderFold reduces a header to its letters and digits in lower case, so that
// "Follow-up date", "follow up date" and "Followup Date*" read the same.
func sheetHeaderFold(h string) string {
	s := sheetBracketed.ReplaceAllString(dueFold(h).s, "")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SheetLayout is where each column sits in a sheet, found from its header row.
type SheetLayout struct {
	HeaderRow int                     // the spreadsheet row number of the header
	Headers   [numSheetColumns]string // each column's header as the file writes it; "" when absent
	index     [numSheetColumns]int    // each column's cell index, -1 when absent
	Ignored   []string                // headers of the columns an import does not read
}

// Has reports whether the sheet has column c.
func (l SheetLayout) Has(c SheetColumn) bool { return l.index[c] >= 0 }

// cell returns column c of a row, trimmed; "" when the sheet or the row lacks it.
func (l SheetLayout) cell(cells []string, c SheetColumn) string {
	i := l.index[c]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// column names c in messages: the header as the file writes it, else the Chinese one.
func (l SheetLayout) column(c SheetColumn) string {
	if l.Headers[c] != "" {
		return l.Headers[c]
	}
	return sheetColumnSpecs[c].zh
}

// sheetHeaderScan is how many rows above the header a sheet may have: teams often put a
// title row (客户跟进记录表) or a note above it.
const sheetHeaderScan = 10

// FindSheetLayout finds the header row among the first rows of a sheet: the first row that
// names the customer (by code or name), the follow-up date and the summary. A problem is
// returned when there is none, or when two columns mean the same thing.
func FindSheetLayout(records []SheetRecord) (SheetLayout, []SheetProblem) {
	for i, rec := range records {
		if i == sheetHeaderScan {
			break
		}
		l, dup := sheetLayoutOf(rec)
		if !(l.Has(ColCode) || l.Has(ColName)) || !l.Has(ColDate) || !l.Has(ColSummary) {
			continue
		}
		if dup != nil {
			return l, []SheetProblem{*dup}
		}
		return l, nil
	}
	row := 1
	if len(records) > 0 {
		row = records[0].Row
	}
	return SheetLayout{}, []SheetProblem{{Row: row, Reason: ProblemNoHeader}}
}

// sheetLayoutOf reads rec as a header row; dup is the first column named twice.
func sheetLayoutOf(rec SheetRecord) (l SheetLayout, dup *SheetProblem) {
	l.HeaderRow = rec.Row
	for c := range l.index {
		l.index[c] = -1
	}
	for i, h := range rec.Cells {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		c, ok := sheetHeaderIndex[sheetHeaderFold(h)]
		switch {
		case !ok:
			l.Ignored = append(l.Ignored, h)
		case l.index[c] >= 0:
			if dup == nil {
				dup = &SheetProblem{Row: rec.Row, Column: h, Reason: ProblemDuplicateColumn, Value: l.Headers[c]}
			}
		default:
			l.index[c], l.Headers[c] = i, h
		}
	}
	return l, dup
}

// SheetRow is one follow-up read from the sheet, validated and in domain values. Days are
// calendar days, held as midnight UTC: which moment they stand for depends on the time zone
// of the row's owner, who is known only once the owner is matched to a person.
type SheetRow struct {
	Row          int // the spreadsheet row number
	CustomerCode string
	CustomerName string
	Industry     string
	ContactName  string
	ContactPhone string
	ContactEmail string
	Tier         Tier // "" when the cell is empty
	ChurnRisk    bool
	FirstContact time.Time // a day; zero when not given
	Day          time.Time // the day of the follow-up
	Clock        time.Duration
	HasClock     bool // the date cell gave a time of day: Clock after midnight
	Method       Method
	Summary      string
	Feedback     string
	Mood         Mood
	Owner        string // as written: a Slack id, name, real name or email
	Next         *SheetNext
}

// SheetNext is a row's next step.
type SheetNext struct {
	Text string
	// Due is the day it is due (Clock after midnight when HasClock); zero means the sheet
	// named no date, and the customer's tier cadence decides, as in Slack.
	Due      time.Time
	Clock    time.Duration
	HasClock bool
	Status   ActionStatus // "" when the sheet does not say: see PlanFollowUps
}

// IsBlank reports whether the row has nothing in any column the import reads; such rows
// (including rows that only carry a 序号 serial number) are skipped.
func (l SheetLayout) IsBlank(rec SheetRecord) bool {
	for c := range numSheetColumns {
		if l.cell(rec.Cells, c) != "" {
			return false
		}
	}
	return true
}

// ParseSheetRow reads one row of a sheet laid out as l. today is the importer's current day
// (midnight UTC): a follow-up dated more than a day after it is a typo, not history.
// Every problem of the row is returned, not only the first, so one pass fixes them all.
func ParseSheetRow(l SheetLayout, rec SheetRecord, today time.Time) (SheetRow, []SheetProblem) {
	p := sheetRowParser{l: l, rec: rec}
	r := SheetRow{Row: rec.Row}

	r.CustomerCode = strings.ToUpper(p.get(ColCode))
	if r.CustomerCode != "" && !validCode(r.CustomerCode) {
		p.problem(ColCode, ProblemBadCode, r.CustomerCode)
	}
	r.CustomerName = p.text(ColName, MaxNameLen)
	if r.CustomerCode == "" && r.CustomerName == "" {
		p.problem(ColName, ProblemNoCustomer, "")
	}
	r.Industry = p.text(ColIndustry, MaxShortLen)
	r.ContactName = p.text(ColContact, MaxShortLen)
	if v := p.get(ColPhone); v != "" {
		switch phone := NormalizePhone(v); {
		case ValidPhone(phone):
			r.ContactPhone = phone
		case ValidEmail(v):
			r.ContactEmail = v // 联系方式 is "contact details": some sheets hold an email there
		default:
			p.problem(ColPhone, ProblemBadPhone, "") // a phone number is personal data: not echoed
		}
	}
	if v := p.get(ColTier); v != "" {
		tier, churn, ok := ParseTierWord(v)
		if !ok {
			p.problem(ColTier, ProblemBadTier, v)
		}
		r.Tier, r.ChurnRisk = tier, churn
	}
	if v := p.get(ColFirstContact); v != "" {
		day, _, _, ok := ParseSheetDate(v)
		if !ok {
			p.problem(ColFirstContact, ProblemBadDate, v)
		}
		r.FirstContact = day
	}
	switch v := p.get(ColDate); {
	case v == "":
		p.problem(ColDate, ProblemRequired, "")
	default:
		day, clock, hasClock, ok := ParseSheetDate(v)
		switch {
		case !ok:
			p.problem(ColDate, ProblemBadDate, v)
		case day.After(today.AddDate(0, 0, 1)):
			p.problem(ColDate, ProblemFutureDate, v)
		}
		r.Day, r.Clock, r.HasClock = day, clock, hasClock
	}
	r.Method = MethodOther
	if v := p.get(ColMethod); v != "" {
		m, ok := ParseMethodWord(v)
		if !ok {
			p.problem(ColMethod, ProblemBadMethod, v)
		}
		r.Method = m
	}
	r.Summary = p.text(ColSummary, MaxTextLen)
	if r.Summary == "" {
		p.problem(ColSummary, ProblemRequired, "")
	}
	r.Feedback = p.text(ColFeedback, MaxTextLen)
	r.Mood = sheetMood(r.Feedback, r.Summary)
	r.Owner = p.text(ColOwner, MaxShortLen)
	r.Next = p.next(r)
	return r, p.problems
}

// sheetMood is the customer's mood as the feedback shows it, else as the summary does:
// the feedback is the customer's own words.
func sheetMood(feedback, summary string) Mood {
	if m, ok := DetectMood(feedback); ok {
		return m
	}
	m, _ := DetectMood(summary)
	return m
}

type sheetRowParser struct {
	l        SheetLayout
	rec      SheetRecord
	problems []SheetProblem
}

func (p *sheetRowParser) get(c SheetColumn) string { return p.l.cell(p.rec.Cells, c) }

func (p *sheetRowParser) problem(c SheetColumn, reason, value string) {
	p.problems = append(p.problems, SheetProblem{Row: p.rec.Row, Column: p.l.column(c), Reason: reason, Value: clipRunes(value, 40)})
}

// text returns a free-text cell, recording a problem when it is longer than max runes.
func (p *sheetRowParser) text(c SheetColumn, max int) string {
	v := p.get(c)
	if utf8.RuneCountInString(v) > max {
		p.problem(c, ProblemTooLong, strconv.Itoa(max))
	}
	return v
}

// next reads the next step: its due date from the due column when the sheet has one,
// otherwise from the text, relative to the follow-up's day ("3天内发送定制方案" is due three
// days after it), with the date phrase cut from the text as in a quick log.
func (p *sheetRowParser) next(r SheetRow) *SheetNext {
	text := p.text(ColNext, MaxTextLen)
	due, status := p.get(ColNextDue), p.get(ColNextStatus)
	if text == "" {
		if due != "" || status != "" {
			p.problem(ColNext, ProblemRequired, "")
		}
		return nil
	}
	n := &SheetNext{Text: text}
	if status != "" {
		s, ok := ParseActionStatusWord(status)
		if !ok {
			p.problem(ColNextStatus, ProblemBadStatus, status)
		}
		n.Status = s
	}
	if due != "" {
		day, clock, hasClock, ok := ParseSheetDate(due)
		switch {
		case !ok:
			p.problem(ColNextDue, ProblemBadDate, due)
		case !r.Day.IsZero() && day.Before(r.Day):
			p.problem(ColNextDue, ProblemDueBefore, due)
		}
		n.Due, n.Clock, n.HasClock = day, clock, hasClock
		return n
	}
	if r.Day.IsZero() {
		return n // the date is unreadable: that problem is reported already
	}
	action, d := parseNextStep(text, r.Day, time.UTC)
	if d != nil {
		if action != "" { // "明天" alone stays as written: it is all the step says
			n.Text = action
		}
		n.Due = DayOf(d.At, time.UTC)
		n.Clock, n.HasClock = d.At.Sub(n.Due), d.HasTime
	}
	return n
}

// clipRunes cuts s to at most n runes, marking the cut with an ellipsis.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// sheetWordFold reduces a cell to compare it with a vocabulary: lower case, full-width forms
// folded, spaces and punctuation dropped.
func sheetWordFold(s string) string {
	var b strings.Builder
	for _, r := range dueFold(strings.TrimSpace(s)).s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tierWords are the words sheets use for tiers. The brief of every team differs; these are
// the ones of DESIGN §1 and the labels followup itself shows.
var tierWords = func() map[string]Tier {
	m := map[string]Tier{}
	add := func(t Tier, words ...string) {
		for _, w := range words {
			m[sheetWordFold(w)] = t
		}
	}
	add(TierS, "S", "S级", "S类", "高价值客户", "高价值", "重点客户", "重要客户", "key", "key account", "high value", "high-value")
	add(TierA, "A", "A级", "A类", "潜力客户", "潜在大客户", "潜力", "potential", "high potential")
	add(TierB, "B", "B级", "B类", "普通客户", "普通", "一般客户", "normal", "nurture", "regular")
	add(TierC, "C", "C级", "C类", "低优先级", "低价值客户", "low priority", "low value")
	return m
}()

// churnWords mark a customer at risk of churning.
var churnWords = []string{"流失风险", "churnrisk", "atrisk"}

// ParseTierWord reads a tier cell: S/A/B/C, the words teams use (高价值客户 → S, 潜力客户 → A,
// 普通客户 → B), followup's own labels ("S：重点客户（每天）"), and 流失风险客户 (churn risk),
// which is B with the churn-risk flag set. A tier followed by a churn mark, as an export
// writes it ("A（流失风险）"), keeps its tier and sets the flag.
func ParseTierWord(s string) (tier Tier, churn bool, ok bool) {
	w := sheetWordFold(s)
	for _, c := range churnWords {
		if strings.Contains(w, c) {
			churn, w = true, strings.Replace(w, c, "", 1)
		}
	}
	for _, cand := range []string{w, strings.TrimSuffix(w, "客户")} {
		if t, ok := tierWords[cand]; ok {
			return t, churn, true
		}
		if churn && cand == "" {
			return TierB, true, true // 流失风险客户 on its own
		}
	}
	// A label that starts with the letter: "S：重点客户（每天）", "B: nurture (weekly)".
	f := strings.TrimSpace(dueFold(s).s)
	if len(f) >= 2 && strings.ContainsRune("sabc", rune(f[0])) {
		if r, _ := utf8.DecodeRuneInString(f[1:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return Tier(strings.ToUpper(f[:1])), churn, true
		}
	}
	return "", false, false
}

// methodWords are the words of a 跟进方式 column. They are read before DetectMethod because a
// column's word is a category, not a sentence: "customer visit" is the customer coming to
// us, where in a sentence "visit" means we went to them.
var methodWords = func() map[string]Method {
	m := map[string]Method{}
	add := func(meth Method, words ...string) {
		for _, w := range words {
			m[sheetWordFold(w)] = meth
		}
	}
	for _, meth := range Methods() {
		add(meth, string(meth))
	}
	add(MethodPhone, "电话", "打电话", "电话沟通", "电话回访", "通话", "call", "phone call", "telephone")
	add(MethodVisit, "拜访", "上门拜访", "上门", "走访", "实地拜访", "on-site visit", "site visit", "onsite")
	add(MethodVideo, "视频会议", "视频", "视频通话", "线上会议", "网络会议", "video meeting", "video call", "online meeting")
	add(MethodEmail, "邮件", "电子邮件", "电邮", "e-mail", "mail")
	add(MethodSMS, "短信", "text", "text message")
	add(MethodIM, "微信", "微信/IM", "IM", "即时通讯", "即时通讯（微信等）", "企业微信", "钉钉", "飞书", "wechat", "whatsapp", "IM (WeChat, WhatsApp…)")
	add(MethodInbound, "客户来访", "来访", "到访", "来公司", "customer visit", "customer visited us", "visited us")
	add(MethodOther, "其他", "其它", "other")
	return m
}()

// ParseMethodWord reads a 跟进方式 cell: a method's name in Chinese or English (电话, 拜访,
// 视频会议, 邮件, 短信, 微信/IM, 客户来访, 其他), else whatever DetectMethod finds in it, as
// in "上门拜访并演示".
func ParseMethodWord(s string) (Method, bool) {
	if m, ok := methodWords[sheetWordFold(s)]; ok {
		return m, true
	}
	return DetectMethod(s)
}

// actionStatusWords are the words of a 下一步状态 column.
var actionStatusWords = func() map[string]ActionStatus {
	m := map[string]ActionStatus{}
	add := func(s ActionStatus, words ...string) {
		for _, w := range words {
			m[sheetWordFold(w)] = s
		}
	}
	add(ActionOpen, "open", "未完成", "待办", "进行中", "待跟进", "pending", "todo", "to do")
	add(ActionDone, "done", "已完成", "完成", "completed", "finished")
	add(ActionSnoozed, "snoozed", "已推迟", "推迟", "postponed")
	add(ActionCancelled, "cancelled", "canceled", "已取消", "取消")
	return m
}()

// ParseActionStatusWord reads a 下一步状态 cell: open/未完成, done/已完成, snoozed/已推迟,
// cancelled/已取消.
func ParseActionStatusWord(s string) (ActionStatus, bool) {
	st, ok := actionStatusWords[sheetWordFold(s)]
	return st, ok
}

var (
	sheetDateYMD     = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|\s*t\s*)(\d{1,2})\s*[:时]\s*(\d{1,2})\s*分?(?::(\d{1,2})(?:\.\d+)?)?)?$`)
	sheetDateSerial  = regexp.MustCompile(`^\d{1,7}(?:\.\d+)?$`)
	sheetDateCompact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

// excelEpoch is day 0 of Excel's 1900 date system as it counts after February 1900 (Excel
// believes 1900 had a 29 February, so later serials are days since this date).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseSheetDate reads a date cell: 2024-05-10, 2024/5/10, 2024.5.10, 2024年5月10日 or
// 20240510, optionally with a time (2024-05-10 14:30), or the serial number an XLSX file
// stores for a date cell (45422 is 2024-05-10, 45422.5 its noon). Dates that do not exist
// (2024-02-30), and day-first or month-first forms such as 05/10/2024, which mean different
// days in different countries, are refused. day is midnight UTC of the date.
func ParseSheetDate(s string) (day time.Time, clock time.Duration, hasClock bool, ok bool) {
	s = strings.TrimSpace(dueFold(s).s)
	if m := sheetDateCompact.FindStringSubmatch(s); m != nil {
		day, ok = sheetDay(m[1], m[2], m[3])
		return day, 0, false, ok
	}
	if sheetDateSerial.MatchString(s) {
		return excelSerialDate(s)
	}
	m := sheetDateYMD.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, 0, false, false
	}
	if day, ok = sheetDay(m[1], m[2], m[3]); !ok {
		return time.Time{}, 0, false, false
	}
	if m[4] == "" {
		return day, 0, false, true
	}
	h, _ := strconv.Atoi(m[4])
	mi, _ := strconv.Atoi(m[5])
	sec, _ := strconv.Atoi(m[6])
	if h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, 0, false, false
	}
	return day, time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute, true, true
}

func sheetDay(ys, ms, ds string) (time.Time, bool) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d // 2024-02-30 rolls over to March: it does not exist
}

// excelSerialDate reads an Excel serial date, rounding a time of day to the minute.
func excelSerialDate(s string) (time.Time, time.Duration, bool, bool) {
	v, err := strconv.ParseFloat(s, 64)
	// Serials below 10000 (1927) are more likely a year or a count typed into a date
	// column than a date; 2958465 is 9999-12-31.
	if err != nil || v < 10000 || v >= 2958466 {
		return time.Time{}, 0, false, false
	}
	days := int(v)
	minutes := int((v-float64(days))*24*60 + 0.5)
	if minutes >= 24*60 {
		days, minutes = days+1, 0
	}
	day := excelEpoch.AddDate(0, 0, days)
	if day.Year() > 2200 {
		return time.Time{}, 0, false, false
	}
	clock := time.Duration(minutes) * time.Minute
	return day, clock, minutes > 0, true
}

// Reasons a SheetProblem gives. Tests compare these codes, never the wording.
const (
	ProblemNoHeader        = "no_header"
	ProblemDuplicateColumn = "duplicate_column"
	ProblemEmpty           = "empty"
	ProblemTooManyRows     = "too_many_rows"
	ProblemRequired        = "required"
	ProblemTooLong         = "too_long"
	ProblemNoCustomer      = "no_customer"
	ProblemBadCode         = "bad_code"
	ProblemBadPhone        = "bad_phone"
	ProblemBadTier         = "bad_tier"
	ProblemBadDate         = "bad_date"
	ProblemFutureDate      = "future_date"
	ProblemBadMethod       = "bad_method"
	ProblemBadStatus       = "bad_status"
	ProblemDueBefore       = "due_before"
	ProblemNoOwner         = "no_owner"
	ProblemUnknownOwner    = "unknown_owner"
	ProblemAmbiguousOwner  = "ambiguous_owner"
	ProblemAmbiguousName   = "ambiguous_name"
	ProblemCodeNameClash   = "code_name_clash"
)

// sheetProblemFormats is each reason in English. The bot's catalog translates these
// strings, keyed by the English text as for every domain message; %s is the cell's value.
var sheetProblemFormats = map[string]string{
	ProblemNoHeader:        "No header row found: the first rows should name the columns, with at least 客户名称 (or 客户编号), 跟进日期 and 跟进内容.",
	ProblemDuplicateColumn: "This column means the same as the column %s.",
	ProblemEmpty:           "The sheet has no rows below its header.",
	ProblemTooManyRows:     "The sheet has more than %s rows: split it into several files.",
	ProblemRequired:        "This cell is empty; it is needed.",
	ProblemTooLong:         "Please keep this under %s characters.",
	ProblemNoCustomer:      "Name the customer: fill 客户名称 or 客户编号.",
	ProblemBadCode:         "%s is not a customer code: 2 to 32 letters, digits, dashes or underscores, e.g. C202405001.",
	ProblemBadPhone:        "Not a phone number (6 to 20 digits, e.g. +86 138 0000 5678) or an email address.",
	ProblemBadTier:         "%s is not a tier: write S, A, B or C, or 高价值客户, 潜力客户, 普通客户, 流失风险客户.",
	ProblemBadDate:         "%s is not a date: write it as 2024-05-10.",
	ProblemFutureDate:      "%s is in the future: a follow-up is logged once it happened.",
	ProblemBadMethod:       "%s is not a follow-up method: write 电话, 拜访, 视频会议, 邮件, 短信, 微信/IM, 客户来访 or 其他 (phone, visit, video, email, SMS, IM, customer visit, other).",
	ProblemBadStatus:       "%s is not a next-step status: write 未完成, 已完成, 已推迟 or 已取消 (open, done, snoozed, cancelled).",
	ProblemDueBefore:       "%s is before the follow-up: a next step cannot be due before the follow-up happened.",
	ProblemNoOwner:         "No owner: fill 负责人, or give a default owner (--owner).",
	ProblemUnknownOwner:    "%s matches nobody in followup (by Slack id, name, real name or email); people appear once they have used the bot, or give a default owner (--owner).",
	ProblemAmbiguousOwner:  "%s matches several people: write their Slack id or email instead.",
	ProblemAmbiguousName:   "Several customers are named %s: fill 客户编号 to say which.",
	ProblemCodeNameClash:   "The code belongs to the customer %s, not to the name on this row.",
}

// SheetProblem is why a sheet, or one of its rows, cannot be imported.
type SheetProblem struct {
	Row    int    // the spreadsheet row number; the header's for problems with the sheet itself
	Column string // the header of the column at fault, as the file writes it; "" for the whole row or sheet
	Reason string // one of the Problem... codes
	Value  string // what the message quotes: the cell, clipped, or a limit; never a phone number
}

// Format is the English message of the problem, with %s standing for Value when it quotes it.
func (p SheetProblem) Format() string {
	if f, ok := sheetProblemFormats[p.Reason]; ok {
		return f
	}
	return "This row cannot be read."
}

// Args are the values Format quotes: the cell in quotation marks, or a bare limit.
func (p SheetProblem) Args() []any {
	switch {
	case !strings.Contains(p.Format(), "%s"):
		return nil
	case p.Reason == ProblemTooLong || p.Reason == ProblemTooManyRows || p.Reason == ProblemDuplicateColumn:
		return []any{p.Value}
	}
	return []any{"“" + p.Value + "”"}
}

// Message is the problem in English.
func (p SheetProblem) Message() string {
	if args := p.Args(); len(args) > 0 {
		return fmt.Sprintf(p.Format(), args...)
	}
	return p.Format()
}

// String is the problem as a line of a report: "row 5, 跟进日期: ...".
func (p SheetProblem) String() string {
	where := "row " + strconv.Itoa(p.Row)
	if p.Column != "" {
		where += ", " + p.Column
	}
	return where + ": " + p.Message()
}

// SheetError is a sheet that cannot be imported, with every problem found in it.
type SheetError struct {
	Problems []SheetProblem
}

// Error implements error, naming the first problems.
func (e *SheetError) Error() string {
	const shown = 3
	lines := make([]string, 0, shown)
	for i, p := range e.Problems {
		if i == shown {
			break
		}
		lines = append(lines, p.String())
	}
	more := ""
	if n := len(e.Problems) - shown; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Sprintf("sheet: %d problem(s): %s%s", len(e.Problems), strings.Join(lines, "; "), more)
}

// Unwrap presents e as an EINVALID *Error, so ErrorCode treats a bad sheet as bad input.
func (e *SheetError) Unwrap() error {
	return &Error{Code: EINVALID, Message: "The sheet cannot be imported."}
}

// Sheet is a parsed follow-up sheet: its layout, its readable rows and the problems of the
// others. An import goes ahead only when Problems is empty.
type Sheet struct {
	Name     string // the worksheet's name; "" for CSV
	Layout   SheetLayout
	Rows     []SheetRow
	Problems []SheetProblem
}

// ParseSheet reads a follow-up sheet: the header row, then every row below it that is not
// blank. today is the importer's current day, as for ParseSheetRow.
func ParseSheet(records []SheetRecord, today time.Time) Sheet {
	var s Sheet
	var problems []SheetProblem
	if s.Layout, problems = FindSheetLayout(records); problems != nil {
		s.Problems = problems
		return s
	}
	read := 0
	for _, rec := range records {
		if rec.Row <= s.Layout.HeaderRow || s.Layout.IsBlank(rec) {
			continue
		}
		if read++; read > MaxSheetRows {
			s.Problems = append(s.Problems, SheetProblem{Row: rec.Row, Reason: ProblemTooManyRows, Value: strconv.Itoa(MaxSheetRows)})
			return s
		}
		row, problems := ParseSheetRow(s.Layout, rec, today)
		if len(problems) > 0 {
			s.Problems = append(s.Problems, problems...)
			continue
		}
		s.Rows = append(s.Rows, row)
	}
	if len(s.Rows) == 0 && len(s.Problems) == 0 {
		s.Problems = []SheetProblem{{Row: s.Layout.HeaderRow, Reason: ProblemEmpty}}
	}
	return s
}

// ParseWorkbook reads the first worksheet that has a follow-up header row; a workbook often
// opens with a cover or instructions sheet. With none, the first sheet's problem is returned.
func ParseWorkbook(sheets []SheetData, today time.Time) Sheet {
	var first Sheet
	for i, data := range sheets {
		s := ParseSheet(data.Records, today)
		s.Name = data.Name
		if len(s.Problems) == 0 || s.Problems[0].Reason != ProblemNoHeader {
			return s
		}
		if i == 0 {
			first = s
		}
	}
	if len(sheets) == 0 {
		first.Problems = []SheetProblem{{Row: 1, Reason: ProblemNoHeader}}
	}
	return first
}

// SheetToday is the current calendar day in loc, held as a sheet holds days (midnight UTC).
func SheetToday(now time.Time, loc *time.Location) time.Time {
	d := now.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}
