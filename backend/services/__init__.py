"""Operations shared by the API, the CLI and the scheduled jobs. They own their transactions."""
