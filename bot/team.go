package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// The Team setup form (admins): block ids equal action ids, as in every form.
const (
	callbackTeam   = "team_setup"
	fieldTeamName  = "team_name"
	fieldManager   = "manager"
	fieldMembers   = "members"
	fieldCalendar  = "calendar"
	fieldWorkHours = "work_hours"
	fieldWorkDays  = "work_days"
	fieldCadence   = "cadence_" // + tier
)

// teamView builds the Team setup modal: who leads the team, who is in it, its holiday
// calendar, working hours and the contact cadence of each tier.
func teamView(t texter, calendars []string) slack.ModalViewRequest {
	cals := make([]*slack.OptionBlockObject, 0, len(calendars))
	for _, c := range calendars {
		cals = append(cals, option(c, c))
	}
	members := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain(t("ph_members")), fieldMembers)
	blocks := []slack.Block{
		input(fieldTeamName, t("label_team_name"), textInput(fieldTeamName, "", false, 100, ""), false, t("hint_team_name")),
		input(fieldManager, t("label_manager"), slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain(t("ph_manager")), fieldManager), false, ""),
		input(fieldMembers, t("label_members"), members, false, ""),
		input(fieldCalendar, t("label_calendar"), slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldCalendar, cals...), true, ""),
		input(fieldWorkHours, t("label_work_hours"), textInput(fieldWorkHours, "09:00-18:00", false, 11, ""), true, ""),
		input(fieldWorkDays, t("label_work_days"), textInput(fieldWorkDays, "Mon-Fri", false, 40, ""), true, ""),
	}
	for _, tier := range followup.Tiers() {
		blocks = append(blocks, input(fieldCadence+string(tier), t("label_cadence", string(tier)),
			textInput(fieldCadence+string(tier), strconv.Itoa(int(followup.DefaultCadence().Every(tier).Hours()/24)), false, 3, ""), true, ""))
	}
	return modal(t, callbackTeam, "title_team", "submit_save", "close_cancel", "", blocks...)
}

// openTeamSetup answers `/followup team`: the form for admins, a polite no for others.
func (b *Bot) openTeamSetup(ctx context.Context, p followup.Person, triggerID string) response {
	if !isAdmin(p) {
		return ephemeral(b.tr(p.Locale, "admins_only"))
	}
	return b.openView(ctx, p, triggerID, teamView(b.texter(p.Locale), followup.BuiltinCalendarNames()))
}

// submitTeam validates and saves the Team setup form.
func (b *Bot) submitTeam(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	if !isAdmin(p) {
		return b.fieldErrors(p, followup.FieldErrors{fieldTeamName: "Only admins can set up teams."})
	}
	f := viewForm(view)
	s := followup.TeamSettings{
		Name: f.value(fieldTeamName), ManagerID: f[fieldManager][fieldManager].SelectedUser,
		MemberIDs: f[fieldMembers][fieldMembers].SelectedUsers, Calendar: f.value(fieldCalendar),
		WorkHours: f.value(fieldWorkHours), WorkDays: f.value(fieldWorkDays), Cadence: map[followup.Tier]int{},
	}
	fe := followup.FieldErrors{}
	if s.Name == "" {
		fe[fieldTeamName] = "Name the team."
	}
	if s.ManagerID == "" {
		fe[fieldManager] = "Pick the team's manager."
	}
	if s.WorkHours != "" {
		if _, err := followup.ParseWorkHours(s.WorkHours); err != nil {
			fe[fieldWorkHours] = "Write working hours as 09:00-18:00."
		}
	}
	if s.WorkDays != "" {
		if _, err := followup.ParseWorkDays(s.WorkDays); err != nil {
			fe[fieldWorkDays] = "Write working days as Mon-Fri or Mon,Wed,Fri."
		}
	}
	for _, tier := range followup.Tiers() {
		field := fieldCadence + string(tier)
		if v := f.value(field); v != "" {
			days, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || days < 1 || days > 365 {
				fe[field] = "A number of days from 1 to 365."
				continue
			}
			s.Cadence[tier] = days
		}
	}
	if len(fe) > 0 {
		return b.fieldErrors(p, fe)
	}
	for _, id := range append([]string{s.ManagerID}, s.MemberIDs...) {
		if _, err := b.person(ctx, id); err != nil { // register everyone the form names
			return b.saveFailed(ctx, p, view, err)
		}
	}
	_, err := b.store.SaveTeam(ctx, s, p.SlackID)
	b.people.forgetAll() // roles, teams and who manages whom changed, for people the form may not name
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	msg := b.tr(p.Locale, "saved_team", esc(s.Name), s.ManagerID, len(s.MemberIDs))
	b.later(ctx, "confirm team", func(ctx context.Context) error { return b.notify(ctx, p, origin{}, ephemeral(msg)) })
	return nil
}
