package bot

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/chart"
)

// mentionRef reads a person as Slack writes a mention in slash-command text with
// should_escape (<@U123|wang>), or a bare Slack id (U123, W123).
var mentionRef = regexp.MustCompile(`^(?:<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>|([UW][A-Z0-9]{2,}))$`)

// refTokens splits command text into words, keeping a mention whole even when its name part
// holds spaces (<@U123|Wang Wei>).
var refTokens = regexp.MustCompile(`<@[UW][A-Z0-9]+(?:\|[^>]*)?>|\S+`)

// errNoSuchPerson says a reference names nobody followup or Slack knows; errAmbiguous that
// it names several people.
var (
	errNoSuchPerson = followup.Errorf(followup.ENOTFOUND, "no such person")
	errAmbiguous    = followup.Errorf(followup.ECONFLICT, "several people match")
)

// resolvePerson finds who ref names: a mention or Slack id (registered from Slack on first
// use, but only when Slack knows the user: a mistyped id is nobody), else a handle, real
// name or email of someone who has used followup.
func (b *Bot) resolvePerson(ctx context.Context, ref string) (followup.Person, error) {
	if m := mentionRef.FindStringSubmatch(ref); m != nil {
		id := m[1] + m[2]
		p, err := b.store.FindPerson(ctx, id)
		if followup.ErrorCode(err) != followup.ENOTFOUND {
			return p, err
		}
		if _, err := b.slack.GetUserInfoContext(ctx, id); err != nil {
			return followup.Person{}, fmt.Errorf("users.info %s: %w: %w", id, errNoSuchPerson, slackError(err))
		}
		return b.person(ctx, id)
	}
	people, err := b.store.FindPeople(ctx)
	if err != nil {
		return followup.Person{}, err
	}
	switch found := followup.MatchPeople(people, ref); len(found) {
	case 0:
		return followup.Person{}, errNoSuchPerson
	case 1:
		return found[0], nil
	}
	return followup.Person{}, errAmbiguous
}

// funnelRequest is `/followup funnel [team|rep|@rep] [period]` read.
type funnelRequest struct {
	team, self bool
	rep        string // a reference to a person, as typed
	period     string
}

func parseFunnelText(text string) (funnelRequest, bool) {
	var req funnelRequest
	for _, w := range refTokens.FindAllString(text, -1) {
		switch lw := strings.ToLower(w); {
		case lw == "team" || lw == "团队":
			req.team = true
		case lw == "rep" || lw == "me" || lw == "mine" || lw == "我" || lw == "我的":
			req.self = true
		case mentionRef.MatchString(w) || strings.HasPrefix(w, "@"):
			req.rep = w
		case req.period == "":
			req.period = w
		default:
			return req, false
		}
	}
	n := 0
	for _, set := range []bool{req.team, req.self, req.rep != ""} {
		if set {
			n++
		}
	}
	return req, n <= 1
}

// funnelScope is whose customers p asked about and may see, with how the answer names them;
// ok is false (with the polite refusal as the name) when p may not see them.
func (b *Bot) funnelScope(ctx context.Context, p followup.Person, req funnelRequest) (scope followup.FunnelScope, name string, ok bool, err error) {
	t := b.texter(p.Locale)
	v, err := b.viewer(ctx, p)
	if err != nil {
		return scope, "", false, err
	}
	managed, admin := v.ManagedTeamIDs, isAdmin(p)
	switch {
	case req.rep != "":
		rep, err := b.resolvePerson(ctx, req.rep)
		switch followup.ErrorCode(err) {
		case "":
		case followup.ENOTFOUND, followup.ECONFLICT:
			return scope, t("person_unknown", esc(clip(req.rep, 80))), false, nil
		default:
			return scope, "", false, err
		}
		if !followup.CanSeeRep(p, managed, rep) {
			return scope, t("funnel_not_yours"), false, nil
		}
		return followup.FunnelScope{RepID: rep.SlackID}, t("funnel_of_rep", rep.SlackID), true, nil
	case req.self:
		return followup.FunnelScope{RepID: p.SlackID}, t("funnel_of_you"), true, nil
	case len(managed) > 0 && (req.team || !admin):
		return followup.FunnelScope{DigestScope: followup.DigestScope{TeamIDs: managed}}, t("funnel_of_team"), true, nil
	case admin:
		return followup.FunnelScope{DigestScope: followup.DigestScope{All: true}}, t("funnel_of_all"), true, nil
	case req.team:
		return scope, t("funnel_no_team"), false, nil
	}
	return followup.FunnelScope{RepID: p.SlackID}, t("funnel_of_you"), true, nil
}

// showFunnel answers `/followup funnel`: the figures at once, as the answer, and the chart
// after it, uploaded to the asker's DM with the bot (a file shared in a channel would show a
// team's figures to everyone in it).
func (b *Bot) showFunnel(ctx context.Context, p followup.Person, text string) response {
	t := b.texter(p.Locale)
	req, ok := parseFunnelText(text)
	if !ok {
		return ephemeral(t("funnel_usage"))
	}
	if req.period == "" {
		req.period = "month"
	}
	from, to, ok := followup.ParsePeriod(req.period, b.now(), b.loc(p))
	if !ok {
		return ephemeral(t("funnel_bad_period", esc(clip(req.period, 50))) + "\n" + t("funnel_usage"))
	}
	scope, name, ok, err := b.funnelScope(ctx, p, req)
	if err != nil {
		b.log.ErrorContext(ctx, "funnel scope", "err", err)
		return ephemeral(t("err_read"))
	}
	if !ok {
		return ephemeral(name)
	}
	f, err := b.store.Funnel(ctx, scope, from, to, b.loc(p))
	if err != nil {
		b.log.ErrorContext(ctx, "funnel", "err", err)
		return ephemeral(t("err_read"))
	}
	b.later(ctx, "funnel chart", func(ctx context.Context) error {
		png, err := funnelChart(f, b.now(), b.loc(p))
		if err != nil {
			return err
		}
		return b.sendChart(ctx, p, "funnel-"+b.now().In(b.loc(p)).Format("20060102")+".png",
			t("funnel_chart_title"), t("funnel_chart_comment", name, b.periodText(p, from, to)), png)
	})
	return ephemeral(t("funnel_title")+": "+name, b.funnelBlocks(p, f, name)...)
}

// periodText shows [from, to) as its first and last days.
func (b *Bot) periodText(p followup.Person, from, to time.Time) string {
	return b.tr(p.Locale, "digest_period", b.formatDay(from, p), b.formatDay(to.Add(-time.Nanosecond), p))
}

// funnelBlocks renders a funnel for p: stages now, conversion step by step, by tier, cycle
// time and lost reasons. Every figure is the storage's; nothing here is typed by a user but
// the scope's name, which the caller built from ids.
func (b *Bot) funnelBlocks(p followup.Person, f followup.Funnel, name string) []slack.Block {
	t := b.texter(p.Locale)
	var stages []*slack.TextBlockObject
	for _, s := range followup.Stages() {
		stages = append(stages, mrkdwn("*"+t("stage_"+string(s))+"*\n"+strconv.Itoa(f.Stages[s])))
	}
	steps := make([]string, 0, len(f.Steps))
	for _, s := range f.Steps {
		steps = append(steps, t("funnel_step", t("stage_"+string(s.From)), t("stage_"+string(s.To)), b.rateText(p, s.Advanced, s.Reached)))
	}
	cycle := t("funnel_cycle_none")
	if d, ok := f.AverageCycleDays(); ok {
		cycle = t("funnel_cycle", d, f.WonCustomers)
	}
	return []slack.Block{
		slack.NewHeaderBlock(plain(t("funnel_title"))),
		slack.NewContextBlock("", mrkdwn(name+" · "+b.periodText(p, f.From, f.To))),
		slack.NewSectionBlock(mrkdwn("*"+t("funnel_now")+"*"), stages, nil),
		section("*" + t("funnel_conversion") + "*\n" + strings.Join(steps, "\n")),
		section("*" + t("funnel_by_tier") + "*\n" + b.tierLines(p, f.Tiers)),
		section("*" + t("funnel_cycle_title") + "*\n" + cycle),
		section("*" + t("funnel_lost_reasons") + "*\n" + b.reasonLines(p, f.Reasons)),
	}
}

// rateText is "40% (4 of 10)", or a dash when there was nothing to convert.
func (b *Bot) rateText(p followup.Person, n, of int) string {
	if of == 0 {
		return b.tr(p.Locale, "funnel_rate_none")
	}
	return b.tr(p.Locale, "funnel_rate", float64(n)/float64(of)*100, n, of)
}

func (b *Bot) tierLines(p followup.Person, tiers []followup.TierConversion) string {
	lines := make([]string, 0, len(tiers))
	for _, c := range tiers {
		lines = append(lines, b.tr(p.Locale, "funnel_tier_line", string(c.Tier), b.rateText(p, c.Won, c.Won+c.Lost), c.Won, c.Lost))
	}
	return strings.Join(lines, "\n")
}

func (b *Bot) reasonLines(p followup.Person, reasons []followup.ReasonCount) string {
	if len(reasons) == 0 {
		return b.tr(p.Locale, "funnel_no_lost")
	}
	lines := make([]string, 0, len(reasons))
	for i, r := range reasons {
		lines = append(lines, b.tr(p.Locale, "funnel_reason_line", i+1, b.tr(p.Locale, "lost_reason_"+string(r.Reason)), r.Count))
	}
	return strings.Join(lines, "\n")
}

// chartStageNames are the stages as the chart writes them: in English, since the chart font
// has no Chinese (see package chart); the message names them in the reader's language.
var chartStageNames = map[followup.Stage]string{
	followup.StageLead: "Lead", followup.StageIntent: "Intent", followup.StageQuoted: "Quoted",
	followup.StageWon: "Won", followup.StageLost: "Lost",
}

// funnelChart draws the customers at each stage now, the funnel's order top down, won in
// green and lost in red.
func funnelChart(f followup.Funnel, now time.Time, loc *time.Location) ([]byte, error) {
	bars := make([]chart.Bar, 0, len(followup.Stages()))
	for _, s := range followup.Stages() {
		bar := chart.Bar{Label: chartStageNames[s], Value: float64(f.Stages[s])}
		switch s {
		case followup.StageWon:
			bar.Color = chart.Green
		case followup.StageLost:
			bar.Color = chart.Red
		}
		bars = append(bars, bar)
	}
	return chart.HorizontalBars("Customers per stage, "+now.In(loc).Format(time.DateOnly), bars)
}

// sendChart uploads a PNG chart into p's DM with the bot (files.getUploadURLExternal, the
// bytes, files.completeUploadExternal), with a comment saying what it shows. The answer it
// illustrates was sent already and stands on its own: a failure here is only logged.
func (b *Bot) sendChart(ctx context.Context, p followup.Person, filename, title, comment string, png []byte) error {
	ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{p.SlackID}})
	if err != nil {
		return fmt.Errorf("chart: conversations.open: %w", slackError(err))
	}
	_, err = b.slack.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: filename, Title: title, FileSize: len(png), Reader: bytes.NewReader(png),
		Channel: ch.ID, InitialComment: comment, AltTxt: title,
	})
	if err != nil {
		return fmt.Errorf("chart: upload: %w", slackError(err))
	}
	return nil
}
