package storagetest

import "testing"

func TestWithDatabase(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable", "postgres://u:p@127.0.0.1:5432/t_x?sslmode=disable"},
		{"postgresql://u@h/", "postgresql://u@h/t_x"},
		{"host=h user=u dbname=postgres", "host=h user=u dbname=postgres dbname=t_x"},
	} {
		got, err := withDatabase(tc.dsn, "t_x")
		if err != nil {
			t.Fatalf("withDatabase(%q): %v", tc.dsn, err)
		}
		if got != tc.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	if got, want := sanitize("TestA/b c*[x]", 10), "testa_b_c_"; got != want {
		t.Errorf("sanitize = %q, want %q", got, want)
	}
}
