package followup

import (
	"slices"
	"testing"
)

func TestPhoneMatchKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"13800005678", "+8613800005678"},
		{"138-0000-5678", "+8613800005678"},
		{"138 0000 5678", "+8613800005678"},
		{"１３８００００５６７８", "+8613800005678"},
		{"+86 138 0000 5678", "+8613800005678"},
		{"+86-13800005678", "+8613800005678"},
		{"0086 13800005678", "+8613800005678"},
		{"8613800005678", "+8613800005678"},
		{"010 1234 5678", "+861012345678"},
		{"+86 (0)10 1234 5678", "+861012345678"},
		{"+86 10 1234 5678", "+861012345678"},
		{"+1 415 555 0100", "+14155550100"},
		{"001 415 555 0100", "+14155550100"},
		{"12345", ""},
		{"call me", ""},
		{"", ""},
	} {
		if got := PhoneMatchKey(tc.in); got != tc.want {
			t.Errorf("PhoneMatchKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMasks(t *testing.T) {
	for _, tc := range []struct {
		mask     func(string) string
		in, want string
	}{
		{MaskPhone, "13800005678", "138****5678"},
		{MaskPhone, "138-0000-5678", "138****5678"},
		{MaskPhone, "+8613800005678", "+86 138****5678"},
		{MaskPhone, "+14155550100", "+141****0100"},
		{MaskPhone, "12345678", "12****78"},
		{MaskPhone, "123456", "****56"},
		{MaskPhone, "not a phone", "***********"},
		{MaskEmail, "li@acme.example", "l***@acme.example"},
		{MaskEmail, "王经理@百川.cn", "王***@百川.cn"},
		{MaskEmail, "nobody", "******"},
		{MaskIDNumber, "91310000MA1FL8XQ37", "9131**********XQ37"},
		{MaskIDNumber, "11010519491231002X", "1101**********002X"},
		{MaskIDNumber, "AB123456", "AB****56"},
		{MaskIDNumber, "ABC12", "*****"},
	} {
		if got := tc.mask(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIDNumbers(t *testing.T) {
	if got := NormalizeIDNumber(" 9131-0000 ma1fl8xq37 "); got != "91310000MA1FL8XQ37" {
		t.Errorf("NormalizeIDNumber = %q", got)
	}
	if got := NormalizeIDNumber("１１０１０５１９４９１２３１００２ｘ"); got != "11010519491231002X" {
		t.Errorf("NormalizeIDNumber of full-width = %q", got)
	}
	for id, want := range map[string]bool{
		"9144030071526726XG": true,  // a published credit code
		"91330100716105852F": true,  // another
		"91310000MA1FL8XQ37": true,  // check character 7
		"91310000MA1FL8XQ3K": false, // the same with a typo in the check character
		"9144030071526726XH": false,
		"11010519491231002X": true, // GB 11643's example
		"110105194912310021": false,
		"110105491231002":    true, // a 15-digit ID number of before 1999
		"SOMEPASSPORTNUMBER": true, // 18 characters a credit code cannot have: another country's
		"E12345678":          true,
		"AB12":               false,
		"91310000-MA1F":      false, // not normalized
		"天津市":                false,
	} {
		if got := ValidIDNumber(id); got != want {
			t.Errorf("ValidIDNumber(%q) = %v, want %v", id, got, want)
		}
	}
	nc := NewCustomer{Name: "Acme", Industry: "x", Tier: TierA, Source: "x", Contact: Contact{Name: "Li", Phone: "13800005678"}, IDNumber: "9131 0000 MA1F L8XQ 3K"}
	nc.Normalize()
	fe, _ := nc.Validate().(FieldErrors)
	if _, ok := fe[FieldIDNumber]; !ok || len(fe) != 1 {
		t.Errorf("a credit code with a wrong check character: %v, want an error on id_number only", fe)
	}
	nc.IDNumber = "91310000MA1FL8XQ37"
	if err := nc.Validate(); err != nil {
		t.Errorf("a valid credit code: %v", err)
	}
	if got, want := nc.Fields(), []string{FieldPhone, FieldIDNumber}; !slices.Equal(got, want) {
		t.Errorf("Fields = %v, want %v", got, want)
	}
}

func TestCanSeePersonalData(t *testing.T) {
	team, other := int64(1), int64(2)
	owner := Person{SlackID: "U0REP", Role: RoleRep, TeamID: &team}
	c := Customer{ID: 7, OwnerID: "U0REP"}
	for _, tc := range []struct {
		name   string
		viewer Viewer
		owner  Person
		want   bool
	}{
		{"the owner", Viewer{Person: owner}, owner, true},
		{"an admin", Viewer{Person: Person{SlackID: "U0ADMIN", Role: RoleAdmin}}, owner, true},
		{"the manager of the owner's team", Viewer{Person: Person{SlackID: "U0BOSS", Role: RoleManager}, ManagedTeamIDs: []int64{other, team}}, owner, true},
		{"the manager of another team", Viewer{Person: Person{SlackID: "U0BOSS2", Role: RoleManager}, ManagedTeamIDs: []int64{other}}, owner, false},
		{"another rep of the team", Viewer{Person: Person{SlackID: "U0REP2", Role: RoleRep, TeamID: &team}}, owner, false},
		{"a manager, the owner in no team", Viewer{Person: Person{SlackID: "U0BOSS", Role: RoleManager}, ManagedTeamIDs: []int64{team}}, Person{SlackID: "U0REP"}, false},
		{"a manager, with someone else as the owner", Viewer{Person: Person{SlackID: "U0BOSS", Role: RoleManager}, ManagedTeamIDs: []int64{team}}, Person{SlackID: "U0OTHER", TeamID: &team}, false},
		{"nobody", Viewer{}, owner, false},
	} {
		if got := CanSeePersonalData(tc.viewer, c, tc.owner); got != tc.want {
			t.Errorf("%s: CanSeePersonalData = %v, want %v", tc.name, got, tc.want)
		}
	}
}
