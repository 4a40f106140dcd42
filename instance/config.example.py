# Copy to instance/config.py and adjust. Environment variables win over this file.
# DATABASE_URL = "postgresql://portal@127.0.0.1:5432/portal"
# PORTAL_ENV = "production"
# SECRET_KEY = "..."            # at least 32 random characters; made for you outside production
# SMTP_HOST = "smtp.example.nl"
# SMTP_PORT = 587
# SMTP_STARTTLS = True
# MAIL_FROM = "veiligheidsportaal@school.nl"
# PORTAL_URL = "https://portaal.school.nl"
