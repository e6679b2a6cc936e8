package followup

import "testing"

func TestAllowed(t *testing.T) {
	teamA, teamB := int64(1), int64(2)
	admin := Viewer{Person: Person{SlackID: "UADMIN", Role: RoleAdmin}}
	owner := Viewer{Person: Person{SlackID: "UOWNER", Role: RoleRep, TeamID: &teamA}}
	mate := Viewer{Person: Person{SlackID: "UMATE", Role: RoleRep, TeamID: &teamA}}
	shared := Viewer{Person: Person{SlackID: "USHARED", Role: RoleRep, TeamID: &teamB}}
	bossA := Viewer{Person: Person{SlackID: "UBOSSA", Role: RoleManager, TeamID: &teamA}, ManagedTeamIDs: []int64{teamA}}
	bossB := Viewer{Person: Person{SlackID: "UBOSSB", Role: RoleManager, TeamID: &teamB}, ManagedTeamIDs: []int64{teamB}}
	nobody := Viewer{}
	customer := Resource{OwnerID: "UOWNER", OwnerTeamID: &teamA, SharedWith: []string{"USHARED"}}
	unmanaged := Resource{OwnerID: "UOWNER"} // what a caller has before it looked up the owner's team

	// Each row: who, what, on what, and whether it is allowed.
	for _, tc := range []struct {
		who  string
		v    Viewer
		perm Permission
		r    Resource
		want bool
	}{
		{"admin", admin, SeeCustomer, customer, true},
		{"admin", admin, Administer, Resource{}, true},
		{"admin", admin, ManageTeam, TeamResource(teamB), true},
		{"owner", owner, SeeCustomer, customer, true},
		{"owner", owner, WorkOnCustomer, unmanaged, true},
		{"owner", owner, SeePersonalData, customer, true},
		{"owner", owner, ShareCustomer, customer, true},
		{"owner", owner, ReassignCustomer, customer, false},
		{"owner", owner, ManageTeam, TeamResource(teamA), false},
		{"owner", owner, Administer, Resource{}, false},
		{"teammate", mate, SeeCustomer, customer, false},
		{"teammate", mate, WorkOnCustomer, customer, false},
		{"teammate", mate, SeePersonalData, customer, false},
		{"shared with", shared, SeeCustomer, customer, true},
		{"shared with", shared, WorkOnCustomer, customer, true},
		{"shared with", shared, SeePersonalData, customer, false},
		{"shared with", shared, ShareCustomer, customer, false},
		{"owner's manager", bossA, SeeCustomer, customer, true},
		{"owner's manager", bossA, SeePersonalData, customer, true},
		{"owner's manager", bossA, ReassignCustomer, customer, true},
		{"owner's manager", bossA, ShareCustomer, customer, true},
		{"owner's manager", bossA, ManageTeam, TeamResource(teamA), true},
		{"owner's manager", bossA, ManageTeam, TeamResource(teamB), false},
		{"owner's manager", bossA, Administer, Resource{}, false},
		{"owner's manager, team unknown yet", bossA, SeeCustomer, unmanaged, false},
		{"other manager", bossB, SeeCustomer, customer, false},
		{"other manager", bossB, ReassignCustomer, customer, false},
		{"other manager", bossB, ManageTeam, TeamResource(teamA), false},
		{"nobody", nobody, SeeCustomer, customer, false},
		{"teammate on no customer", mate, SeeCustomer, Resource{SharedWith: []string{"UMATE"}}, false},
	} {
		if got := Allowed(tc.v, tc.perm, tc.r); got != tc.want {
			t.Errorf("%s %s %+v = %v, want %v", tc.who, tc.perm, tc.r, got, tc.want)
		}
	}
}
