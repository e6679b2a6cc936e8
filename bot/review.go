package bot

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/chart"
)

// reviewTermChars is how many characters a frequent term takes once escaped: ten of them
// stay inside the review's share of the digest (digestReviewBudget).
const reviewTermChars = 40

// reviewBlocks renders the weekly review's sections: conversion by tier, cycle time, lost
// reasons, frequent requests and complaints. None for a daily digest (r nil).
func (b *Bot) reviewBlocks(p followup.Person, r *followup.Review) []slack.Block {
	if r == nil {
		return nil
	}
	t := b.texter(p.Locale)
	cycle := t("funnel_cycle_none")
	if d, ok := r.AverageCycleDays(); ok {
		cycle = t("funnel_cycle", d, r.WonCustomers)
	}
	requests := t("review_no_requests")
	if len(r.Requests) > 0 {
		items := make([]string, len(r.Requests))
		for i, term := range r.Requests {
			// A term is what someone typed: escaped, so "<!channel>" pings nobody.
			items[i] = t("review_request", escClip(term.Term, reviewTermChars), term.Count)
		}
		requests = strings.Join(items, " · ")
	}
	k := r.Complaints
	return []slack.Block{
		slack.NewDividerBlock(),
		slack.NewHeaderBlock(plain(t("review_title"))),
		section("*" + t("funnel_by_tier") + "*\n" + b.tierLines(p, r.Tiers) + "\n" + cycle),
		section("*" + t("funnel_lost_reasons") + "*\n" + b.reasonLines(p, r.Reasons)),
		section("*" + t("review_requests") + "*\n" + requests),
		section("*" + t("review_complaints") + "*\n" + t("review_complaints_value", k.Received, k.Open, k.InProgress, k.Resolved)),
	}
}

// chartMaxReps bounds the reps on an activity chart; beyond it the most active are drawn.
const chartMaxReps = 30

// digestChart draws each rep's activity over the digest's period (follow-ups logged, next
// steps done, funnel moves). Reps are named by a name the chart font can draw, else their
// Slack handle, else a key (#1, #2...) that legend explains in the message, in full.
func digestChart(d followup.Digest, handles map[string]string, loc *time.Location) (png []byte, legend []string, err error) {
	reps := slices.Clone(d.Reps)
	if len(reps) > chartMaxReps {
		activity := func(r followup.RepActivity) int { return r.FollowUps + r.ActionsDone + r.StageMoves }
		order := slices.Clone(reps)
		slices.SortStableFunc(order, func(a, b followup.RepActivity) int { return cmp.Compare(activity(b), activity(a)) })
		keep := map[string]bool{}
		for _, r := range order[:chartMaxReps] {
			keep[r.RepID] = true
		}
		reps = slices.DeleteFunc(reps, func(r followup.RepActivity) bool { return !keep[r.RepID] })
	}
	labels := make([]string, len(reps))
	series := []chart.Series{{Name: "Follow-ups", Color: chart.Blue}, {Name: "Steps done", Color: chart.Green}, {Name: "Stage moves", Color: chart.Orange}}
	for i, r := range reps {
		key := "#" + strconv.Itoa(len(legend)+1)
		labels[i] = chart.Label(key, r.Name, handles[r.RepID])
		if labels[i] == key {
			legend = append(legend, key+" "+digestName(r.Name))
		}
		series[0].Values = append(series[0].Values, float64(r.FollowUps))
		series[1].Values = append(series[1].Values, float64(r.ActionsDone))
		series[2].Values = append(series[2].Values, float64(r.StageMoves))
	}
	last := d.To.Add(-time.Nanosecond)
	title := "Activity per rep, " + d.From.In(loc).Format(time.DateOnly) + " to " + last.In(loc).Format(time.DateOnly)
	png, err = chart.GroupedBars(title, labels, series)
	return png, legend, err
}

// sendDigestChart uploads the digest's activity chart to p's DM. A digest without reps has
// nothing to draw.
func (b *Bot) sendDigestChart(ctx context.Context, p followup.Person, d followup.Digest) error {
	if len(d.Reps) == 0 {
		return nil
	}
	handles := map[string]string{}
	if people, err := b.store.FindPeople(ctx); err == nil {
		for _, person := range people {
			handles[person.SlackID] = person.Name
		}
	} else {
		b.log.WarnContext(ctx, "chart labels without handles", "err", err)
	}
	png, legend, err := digestChart(d, handles, b.loc(p))
	if err != nil {
		return err
	}
	comment := b.tr(p.Locale, "digest_chart_comment", b.periodText(p, d.From, d.To))
	if len(legend) > 0 {
		comment += "\n" + b.tr(p.Locale, "digest_chart_legend", joinRunes(legend, ", ", digestListBudget))
	}
	name := "activity-" + d.To.In(b.loc(p)).Format("20060102") + ".png"
	return b.sendChart(ctx, p, name, b.tr(p.Locale, "digest_chart_title"), comment, png)
}
