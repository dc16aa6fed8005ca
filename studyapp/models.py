"""Imports every domain's models so mappers configure and Alembic sees all tables."""

# The flush hook that marks a branch's settled roster changed (no model).
import studyapp.progress.roster_watch  # noqa: F401
from studyapp.audit.models import AuditEvent  # noqa: F401
from studyapp.auth.models import AuthSession, RoleGrant, User  # noqa: F401
from studyapp.content.models import (  # noqa: F401
    Lesson,
    MediaFile,
    Question,
    QuestionBank,
    QuestionRevision,
    QuizDefinition,
)
from studyapp.db import Base  # noqa: F401
from studyapp.jobs.models import JobRun  # noqa: F401
from studyapp.notify.group_messages import GroupMessage  # noqa: F401
from studyapp.notify.models import Notification  # noqa: F401
from studyapp.org.models import OrgUnit  # noqa: F401
from studyapp.org.unit_settings import UnitSetting  # noqa: F401
from studyapp.org.uploads import ImportUpload  # noqa: F401
from studyapp.progress.branch_days import BranchDay, BranchSettlement  # noqa: F401
from studyapp.progress.branch_periods import BranchPeriod  # noqa: F401
from studyapp.progress.models import (  # noqa: F401
    ActivityEvent,
    BookLog,
    DailyActivity,
    ExcusedDay,
    MakeUp,
    PointsEntry,
    ReadingState,
    StudyTime,
    UserStats,
)
from studyapp.quiz.models import (  # noqa: F401
    Attempt,
    AttemptAnswer,
    QuizOccurrence,
    ReviewCard,
    ReviewLog,
)
from studyapp.ratelimit import RateLimitCounter  # noqa: F401
