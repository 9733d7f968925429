"""A district's building stock: floor area by use, the demand side of the comparison."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.querysets import RegionRowQuerySet
from estimates.domain.loads import BUILDING_USES


class BuildingStockQuerySet(RegionRowQuerySet["BuildingStock"]):
    """As visible as its district's region."""

    region_lookup = "district__region"


class BuildingStock(models.Model):
    district = models.ForeignKey(
        "core.District", on_delete=models.CASCADE, related_name="building_stock"
    )
    use = models.CharField(
        _("use"), max_length=30, choices=[(code, code.replace("_", " ")) for code in BUILDING_USES]
    )
    floor_area_m2 = models.FloatField(_("floor area"), help_text=_("m²"))
    source = models.CharField(_("source"), max_length=300)

    objects = BuildingStockQuerySet.as_manager()

    class Meta:
        verbose_name = _("building stock")
        constraints = [
            models.UniqueConstraint(fields=["district", "use"], name="building_stock_use"),
            models.CheckConstraint(
                condition=models.Q(floor_area_m2__gte=0), name="stock_area_ge_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.use}"
