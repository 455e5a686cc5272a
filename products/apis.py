"""Seed §20 (getLoanProductList) and §21 (getLoanProductDetails): no login, served from cache."""

from rest_framework import serializers

from cashloan.api.codes import MALFORMED_REQUEST
from cashloan.api.views import ApiView

from . import schemas, selectors


class GetLoanProductList(ApiView):
    """§20 产品展示接口：在售产品列表（按排序），不需登录，读缓存。"""

    success_message = "获取产品展示信息成功"
    result_serializer = schemas.ProductSummaryResult(many=True)

    def handle(self, request, data):
        return selectors.product_list()


class ProductIdSerializer(serializers.Serializer):
    productId = serializers.CharField(max_length=64)


class GetLoanProductDetails(ApiView):
    """§21 产品详细信息：一个在售产品的全部规则、默认值、费用和字典，不需登录，读缓存。"""

    input_serializer = ProductIdSerializer
    success_message = "获取产品展示信息成功"
    result_serializer = schemas.ProductDetailResult
    response_codes = {MALFORMED_REQUEST: "请求报文传输信息有误；产品不存在或已下架；产品编号格式错误"}

    def handle(self, request, data):
        return selectors.product_details(data["productId"])
