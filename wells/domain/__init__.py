"""Pure helpers of the wells' own data (the analyses of field tests are field_tests.domain;
lithology names are geology.domain.lithology). No Django."""
