package followup

import (
	"slices"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC) // Wednesday 18 Nov, 10:00 in Shanghai
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, sh) }
	tests := []struct {
		in       string
		from, to time.Time // zero when it must be refused
	}{
		{"week", day(2026, 11, 16), day(2026, 11, 19)},
		{"本周", day(2026, 11, 16), day(2026, 11, 19)},
		{"month", day(2026, 11, 1), day(2026, 11, 19)},
		{"MONTH", day(2026, 11, 1), day(2026, 11, 19)},
		{"quarter", day(2026, 10, 1), day(2026, 11, 19)},
		{"30d", day(2026, 10, 20), day(2026, 11, 19)},
		{"7天", day(2026, 11, 12), day(2026, 11, 19)},
		{"1d", day(2026, 11, 18), day(2026, 11, 19)},
		{"2026-10-01..2026-12-01", day(2026, 10, 1), day(2026, 12, 2)},
		{"2026/10/1~2026/10/31", day(2026, 10, 1), day(2026, 11, 1)},
		{"2026-10-01至2026-10-01", day(2026, 10, 1), day(2026, 10, 2)},
		{"2026-12-01..2026-10-01", time.Time{}, time.Time{}},
		{"0d", time.Time{}, time.Time{}},
		{"-3d", time.Time{}, time.Time{}},
		{"99999d", time.Time{}, time.Time{}},
		{"2026-13-01..2026-12-01", time.Time{}, time.Time{}},
		{"fortnight", time.Time{}, time.Time{}},
		{"", time.Time{}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			from, to, ok := ParsePeriod(tc.in, now, sh)
			if ok != !tc.from.IsZero() || ok && (!from.Equal(tc.from) || !to.Equal(tc.to)) {
				t.Errorf("ParsePeriod(%q) = %v, %v, %v; want %v, %v", tc.in, from, to, ok, tc.from, tc.to)
			}
		})
	}
	t.Run("a week asked on a Monday is that day", func(t *testing.T) {
		monday := time.Date(2026, 11, 16, 1, 0, 0, 0, time.UTC)
		if from, to, _ := ParsePeriod("week", monday, sh); !from.Equal(day(2026, 11, 16)) || !to.Equal(day(2026, 11, 17)) {
			t.Errorf("week on Monday = %v..%v", from, to)
		}
	})
}

func TestRankLostReasons(t *testing.T) {
	got := RankLostReasons(map[LostReason]int{LostBudget: 2, LostPrice: 2, LostCompetitor: 5, "": 1, "legacy": 1, LostService: 0})
	want := []ReasonCount{{LostCompetitor, 5}, {LostPrice, 2}, {LostBudget, 2}, {LostOther, 2}}
	if !slices.Equal(got, want) {
		t.Errorf("RankLostReasons = %v, want %v", got, want)
	}
	if got := RankLostReasons(nil); len(got) != 0 {
		t.Errorf("RankLostReasons(nil) = %v, want none", got)
	}
}

func TestFunnelRates(t *testing.T) {
	if _, ok := (FunnelStep{Reached: 0}).Rate(); ok {
		t.Error("an empty step has a rate")
	}
	if r, ok := (FunnelStep{Reached: 4, Advanced: 1}).Rate(); !ok || r != 0.25 {
		t.Errorf("rate = %v, %v; want 0.25", r, ok)
	}
	if r, ok := (TierConversion{Won: 2, Lost: 1}).Rate(); !ok || r != 2.0/3 {
		t.Errorf("tier rate = %v, %v", r, ok)
	}
	f := Funnel{WonCustomers: 4, CycleDays: 50, Tiers: []TierConversion{{TierS, 1, 2}, {TierA, 3, 0}}}
	if d, ok := f.AverageCycleDays(); !ok || d != 12.5 {
		t.Errorf("average cycle = %v, %v; want 12.5", d, ok)
	}
	if won, lost := f.Closed(); won != 4 || lost != 2 {
		t.Errorf("Closed = %d, %d", won, lost)
	}
	if _, ok := (Funnel{}).AverageCycleDays(); ok {
		t.Error("no deal won has an average")
	}
	for s, want := range map[Stage]int{StageLead: 1, StageIntent: 2, StageQuoted: 3, StageWon: 4, StageLost: 0} {
		if got := s.Rank(); got != want {
			t.Errorf("%s.Rank() = %d, want %d", s, got, want)
		}
	}
}

func TestStageMoveValidate(t *testing.T) {
	for _, tc := range []struct {
		m      StageMove
		fields []string
	}{
		{StageMove{Stage: StageWon}, nil},
		{StageMove{Stage: StageLost, Reason: LostPrice}, nil},
		{StageMove{Stage: StageLost}, []string{"lost_reason"}},
		{StageMove{Stage: StageLost, Reason: "cheap"}, []string{"lost_reason"}},
		{StageMove{Stage: "done"}, []string{"stage"}},
	} {
		err := tc.m.Validate()
		fe, _ := err.(FieldErrors)
		var got []string
		for k := range fe {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%+v.Validate() = %v, want errors on %v", tc.m, err, tc.fields)
		}
	}
	m := StageMove{Stage: StageWon, Reason: LostPrice}
	m.Normalize()
	if m.Reason != "" {
		t.Errorf("a won move keeps reason %q", m.Reason)
	}
}

func TestAccessRules(t *testing.T) {
	team1, team2 := int64(1), int64(2)
	admin := Person{SlackID: "UADMIN", Role: RoleAdmin}
	boss := Person{SlackID: "UBOSS", Role: RoleManager, TeamID: &team1}
	rep := Person{SlackID: "UREP1", Role: RoleRep, TeamID: &team1}
	mate := Person{SlackID: "UREP2", Role: RoleRep, TeamID: &team1}
	other := Person{SlackID: "UREP3", Role: RoleRep, TeamID: &team2}
	loner := Person{SlackID: "UREP4", Role: RoleRep}
	managed := []int64{team1}

	for _, tc := range []struct {
		name      string
		viewer    Person
		managed   []int64
		rep       Person
		see, hand bool // may see rep; may hand rep's book to mate
	}{
		{"a rep sees themselves", rep, nil, rep, true, false},
		{"a rep does not see a teammate", rep, nil, mate, false, false},
		{"a manager sees and hands over their team", boss, managed, mate, true, true},
		{"a manager does not reach another team", boss, managed, other, false, false},
		{"a manager does not reach a rep on no team", boss, managed, loner, false, false},
		{"an admin reaches anyone", admin, nil, other, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanSeeRep(tc.viewer, tc.managed, tc.rep); got != tc.see {
				t.Errorf("CanSeeRep = %v, want %v", got, tc.see)
			}
			to := rep
			if tc.rep.SlackID == rep.SlackID {
				to = mate
			}
			if got := CanHandOver(tc.viewer, tc.managed, tc.rep, to); got != tc.hand {
				t.Errorf("CanHandOver = %v, want %v", got, tc.hand)
			}
		})
	}
	if CanHandOver(boss, managed, mate, other) {
		t.Error("a manager handed a rep's book to another team")
	}
	if !CanHandOver(boss, managed, mate, boss) {
		t.Error("a manager may take a rep's book themselves")
	}
	if CanHandOver(admin, nil, rep, rep) {
		t.Error("a book was handed to its own owner")
	}
}
