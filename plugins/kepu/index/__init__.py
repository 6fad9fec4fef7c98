"""The site index: every grouping, calendar view and figure of a build, computed once."""
