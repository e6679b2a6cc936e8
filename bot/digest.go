package bot

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// A digest is one message, and Slack refuses a message whose blocks carry more than about
// 12,000 characters of text in all, or a section over 3,000. Each part gets a share of that
// budget (with the header and totals, about 11,000 in all), so no team size or name length
// can make the message bounce.
const (
	digestMaxRepLines    = 20   // reps shown one per line; the rest are summed up
	digestRepBudget      = 4500 // characters for the per-rep lines, over several sections
	digestListBudget     = 1800 // characters for each of the idle, churn and complaint lists
	digestSectionMax     = 2900 // under the 3,000 a section's text may hold
	digestNameMax        = 40   // characters a name takes once escaped
	digestComplaintChars = 100  // characters a complaint's content takes once escaped
	digestReviewBudget   = 1300 // characters for the weekly review's sections, all told
)

// digestBlocks renders a digest for the manager p in p's language and time zone. The
// figures are the storage's; this only lays them out. Every name and complaint text is
// typed by someone and escaped.
func (b *Bot) digestBlocks(p followup.Person, d followup.Digest) []slack.Block {
	t := b.texter(p.Locale)
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(t("digest_title"))),
		slack.NewContextBlock("", mrkdwn(b.digestPeriod(p, d.From, d.To))),
		b.digestTotals(t, d),
	}
	if len(d.Reps) == 0 {
		return append(blocks, section(t("digest_no_reps")))
	}
	repBudget, idleKey := digestRepBudget, "digest_idle"
	if d.Review != nil { // the review's lines come out of the reps' share
		repBudget, idleKey = digestRepBudget-digestReviewBudget, "digest_idle_week"
	}
	blocks = append(blocks, b.digestRepBlocks(t, d.Reps, repBudget)...)
	if idle := b.digestIdle(t, d.Reps, idleKey); idle != "" {
		blocks = append(blocks, section(idle))
	}
	blocks = append(blocks, section(b.digestChurn(p, d)), section(b.digestComplaints(p, d)), section(b.digestSatisfaction(t, d)))
	return append(blocks, b.reviewBlocks(p, d.Review)...)
}

// digestPeriod shows [from, to) as days when both ends are midnights in p's zone (the last
// day being the one before to), and as moments otherwise, as for a digest of the last 24 hours.
func (b *Bot) digestPeriod(p followup.Person, from, to time.Time) string {
	loc := b.loc(p)
	if from.Equal(followup.DayOf(from, loc)) && to.Equal(followup.DayOf(to, loc)) {
		last := to.AddDate(0, 0, -1)
		if !last.After(from) {
			return b.formatDay(from, p)
		}
		return b.tr(p.Locale, "digest_period", b.formatDay(from, p), b.formatDay(last, p))
	}
	at := func(t time.Time) string { return b.formatDay(t, p) + " " + t.In(loc).Format("15:04") }
	return b.tr(p.Locale, "digest_period", at(from), at(to))
}

// digestTotals is the team's figures as a grid of fields.
func (b *Bot) digestTotals(t texter, d followup.Digest) slack.Block {
	tot := d.Total
	conversion := t("digest_no_closed")
	if rate, ok := d.Conversion(); ok {
		conversion = t("digest_pct", rate*100)
	}
	field := func(label, value string) *slack.TextBlockObject { return mrkdwn("*" + label + "*\n" + value) }
	return slack.NewSectionBlock(mrkdwn("*"+t("digest_totals")+"*"), []*slack.TextBlockObject{
		field(t("digest_followups"), strconv.Itoa(tot.FollowUps)),
		field(t("digest_steps"), t("digest_steps_value", tot.ActionsDue, tot.ActionsDone, tot.ActionsOverdue)),
		field(t("digest_past_cadence"), strconv.Itoa(tot.PastCadence)),
		field(t("digest_new_customers"), strconv.Itoa(tot.NewCustomers)),
		field(t("digest_moves"), t("digest_moves_value", tot.StageMoves, tot.Won, tot.Lost)),
		field(t("digest_conversion"), conversion),
	}, nil)
}

// digestRepBlocks lists the reps one per line. A large team would not fit one message, so
// beyond digestMaxRepLines the lines go to the reps most behind (overdue steps plus
// customers past cadence), the ones a manager has to act on, and the others are summed up.
func (b *Bot) digestRepBlocks(t texter, reps []followup.RepActivity, budget int) []slack.Block {
	title := t("digest_by_rep")
	shown := reps
	var rest followup.RepActivity
	if len(reps) > digestMaxRepLines {
		title = t("digest_by_rep_top", digestMaxRepLines)
		order := make([]int, len(reps))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(behind(reps[j]), behind(reps[i])) })
		keep := order[:digestMaxRepLines]
		slices.Sort(keep) // back to the storage's order, by name
		shown = make([]followup.RepActivity, len(keep))
		for n, i := range keep {
			shown[n] = reps[i]
		}
		for _, i := range order[digestMaxRepLines:] {
			rest.Add(reps[i])
		}
	}
	lines := make([]string, 0, len(shown))
	for _, r := range shown {
		mark := "•"
		if r.Idle() {
			mark = ":zzz:"
		}
		key, args := "digest_rep_line", []any{mark, digestName(r.Name), r.FollowUps,
			r.ActionsDue, r.ActionsDone, r.ActionsOverdue, r.PastCadence, r.NewCustomers, r.StageMoves, r.Won, r.Lost}
		if avg, ok := r.SurveyAverage(); ok {
			key, args = "digest_rep_line_rated", append(args, avg, r.Surveys)
		}
		lines = append(lines, t(key, args...))
	}
	lines[0] = "*" + title + "*\n" + lines[0]
	var blocks []slack.Block
	for _, text := range sectionsOf(lines, digestSectionMax, budget) {
		blocks = append(blocks, section(text))
	}
	if n := len(reps) - len(shown); n > 0 {
		blocks = append(blocks, section(t("digest_rest", n, rest.FollowUps, rest.ActionsOverdue, rest.PastCadence)))
	}
	return blocks
}

// behind is how much work a rep has let slip.
func behind(r followup.RepActivity) int { return r.ActionsOverdue + r.PastCadence }

// digestIdle names every rep who did nothing, including those the per-rep lines left out:
// that is the first thing a manager looks for. It is empty when everyone did something.
// key titles the list: the weekly review asks who logged nothing all week.
func (b *Bot) digestIdle(t texter, reps []followup.RepActivity, key string) string {
	var names []string
	for _, r := range reps {
		if r.Idle() {
			names = append(names, digestName(r.Name))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "*:zzz: " + t(key, len(names)) + "*\n" + joinRunes(names, ", ", digestListBudget)
}

// digestChurn lists the flagged customers, the longest untouched first.
func (b *Bot) digestChurn(p followup.Person, d followup.Digest) string {
	t := b.texter(p.Locale)
	head := "*" + t("digest_churn", d.ChurnRiskCount) + "*\n"
	if d.ChurnRiskCount == 0 && len(d.ChurnRisk) == 0 {
		return head + t("digest_none")
	}
	lines := make([]string, 0, len(d.ChurnRisk)+1)
	for _, c := range d.ChurnRisk {
		last := t("card_never")
		if c.LastTouchAt != nil {
			last = b.formatDay(*c.LastTouchAt, p)
		}
		lines = append(lines, t("digest_churn_line", digestName(c.Name), escClip(c.Code, 32), esc(string(c.Tier)), esc(c.OwnerID), last))
	}
	if more := d.ChurnRiskCount - len(d.ChurnRisk); more > 0 {
		lines = append(lines, t("digest_more", more))
	}
	return head + clipLines(lines, digestListBudget)
}

// digestComplaints gives the open complaints' count and the oldest of them.
func (b *Bot) digestComplaints(p followup.Person, d followup.Digest) string {
	t := b.texter(p.Locale)
	head := "*" + t("digest_complaints", d.OpenComplaints) + "*\n" +
		t("digest_complaint_figures", d.ComplaintsReceived, d.ComplaintsResolved, d.ComplaintsSatisfied, d.ComplaintsOverdue) + "\n"
	if d.OpenComplaints == 0 && len(d.OldestComplaints) == 0 {
		return head + t("digest_none")
	}
	lines := []string{t("digest_complaints_oldest")}
	for _, c := range d.OldestComplaints {
		handler := t("digest_no_handler")
		if c.HandlerID != "" {
			handler = t("digest_handler", esc(c.HandlerID))
		}
		lines = append(lines, t("digest_complaint_line", b.formatDay(c.ReceivedAt, p), digestName(c.CustomerName),
			b.label(p.Locale, "complaint_status_", string(c.Status)), handler,
			escClip(oneLine(c.Content), digestComplaintChars)))
	}
	if more := d.OpenComplaints - len(d.OldestComplaints); more > 0 {
		lines = append(lines, t("digest_more", more))
	}
	return head + clipLines(lines, digestListBudget)
}

// digestSatisfaction is the team's survey average over the period against the period
// before, and each question's average.
func (b *Bot) digestSatisfaction(t texter, d followup.Digest) string {
	head := "*" + t("digest_satisfaction") + "*\n"
	avg, ok := d.Surveys.Average()
	prev, hadPrev := d.PreviousSurveys.Average()
	switch {
	case !ok && !hadPrev:
		return head + t("digest_survey_none")
	case !ok:
		return head + t("digest_survey_none_prev", prev, d.PreviousSurveys.Count)
	case !hadPrev:
		head += t("digest_survey_first", avg, d.Surveys.Count)
	default:
		// The change is that of the figures as shown, so that 4.2 against 3.8 reads +0.4.
		avg, prev = oneDecimal(avg), oneDecimal(prev)
		head += t("digest_survey_trend", avg, d.Surveys.Count, prev, d.PreviousSurveys.Count, trendArrow(avg, prev), avg-prev)
	}
	dims := make([]string, 0, len(followup.SurveyDimensions()))
	for _, dim := range followup.SurveyDimensions() {
		v, _ := d.Surveys.DimensionAverage(dim)
		dims = append(dims, t("digest_survey_dim", t("dim_"+string(dim)), v))
	}
	return head + "\n" + strings.Join(dims, " · ")
}

// oneDecimal rounds an average to the one decimal a digest shows.
func oneDecimal(x float64) float64 { return math.Round(x*10) / 10 }

// trendArrow shows which way an average moved.
func trendArrow(now, before float64) string {
	switch {
	case now > before:
		return ":arrow_up:"
	case now < before:
		return ":arrow_down:"
	}
	return ":left_right_arrow:"
}

// digestName is a person's or customer's name made safe and short for a list line.
func digestName(name string) string { return escClip(oneLine(name), digestNameMax) }

// escClip escapes s for mrkdwn and clips the result to n characters, never inside an
// entity. Clipping before escaping would not bound the length: "&" becomes five characters.
func escClip(s string, n int) string {
	if e := esc(s); utf8.RuneCountInString(e) <= n {
		return e
	}
	var sb strings.Builder
	used := 0
	for _, r := range s {
		e := esc(string(r))
		if used += utf8.RuneCountInString(e); used > n-1 {
			break
		}
		sb.WriteString(e)
	}
	return sb.String() + "…"
}

// clipLines joins lines into one section text of at most max characters.
func clipLines(lines []string, max int) string { return strings.Join(sectionsOf(lines, max, max), "") }

// sectionsOf packs lines into section texts of at most perSection characters each and at
// most total in all; lines that do not fit are counted in a closing "…(+N)".
func sectionsOf(lines []string, perSection, total int) []string {
	const markerRoom = 16 // "\n…(+1234)" with room to spare
	var out []string
	var cur strings.Builder
	curLen, used := 0, 0
	for i, l := range lines {
		n := utf8.RuneCountInString(l) + 1 // with its newline
		if used+n > total-markerRoom {
			cur.WriteString("\n…(+" + strconv.Itoa(len(lines)-i) + ")")
			break
		}
		if curLen > 0 && curLen+n > perSection-markerRoom {
			out = append(out, cur.String())
			cur.Reset()
			curLen = 0
		}
		if curLen > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(l)
		curLen += n
		used += n
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// joinRunes joins items with sep up to max characters, counting the ones left out.
func joinRunes(items []string, sep string, max int) string {
	var sb strings.Builder
	used := 0
	for i, s := range items {
		n := utf8.RuneCountInString(s) + utf8.RuneCountInString(sep)
		if used+n > max-16 {
			sb.WriteString(" …(+" + strconv.Itoa(len(items)-i) + ")")
			break
		}
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteString(s)
		used += n
	}
	return sb.String()
}
